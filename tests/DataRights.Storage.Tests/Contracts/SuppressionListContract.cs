using DataRights.Core.Ports;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.Contracts;

/// <summary>What every <see cref="ISuppressionList"/> must do: keep each hash once, answer checks, page in hash order.</summary>
public abstract class SuppressionListContract : StoreContract
{
    private ISuppressionList Store => Stores.Suppressions;

    [Fact]
    public async Task Add_ThenContains_OnlyForThatHash_AndASecondAddReportsItWasThere()
    {
        var kim = ISuppressionList.Hash(" Kim@Example.com ");

        Assert.True(await Store.AddAsync(kim, "req-1", T0, None));
        Assert.False(await Store.AddAsync(ISuppressionList.Hash("kim@example.com"), "req-2", T0.AddDays(1), None));
        // The request that added it, adding it again (its step run again after a crash), hears what it heard the first time.
        Assert.True(await Store.AddAsync(kim, "req-1", T0.AddMinutes(1), None));

        Assert.True(await Store.ContainsAsync(kim, None));
        Assert.False(await Store.ContainsAsync(ISuppressionList.Hash("lee@example.com"), None));
        Assert.Equal(T0, Assert.Single(await Store.ListAsync(null, 10, None)).AddedAt);
    }

    [Fact]
    public async Task List_PagesInHashOrder()
    {
        var hashes = Enumerable.Range(1, 5).Select(n => ISuppressionList.Hash($"person{n}@example.com")).ToList();
        foreach (var hash in hashes)
        {
            await Store.AddAsync(hash, "req", T0, None);
        }

        var first = await Store.ListAsync(null, 3, None);
        var rest = await Store.ListAsync(first[^1].EmailHash, 3, None);

        Assert.Equal(hashes.Order(StringComparer.Ordinal), first.Concat(rest).Select(e => e.EmailHash));
        Assert.Equal(2, rest.Count);
    }
}
