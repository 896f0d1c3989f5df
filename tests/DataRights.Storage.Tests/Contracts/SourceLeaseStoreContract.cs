using DataRights.Core.Retention;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.Contracts;

/// <summary>What every <see cref="ISourceLeaseStore"/> must do: one holder per source at a time, until it lets go or its lease runs out.</summary>
public abstract class SourceLeaseStoreContract : StoreContract
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private ISourceLeaseStore Store => Stores.Leases;

    [Fact]
    public async Task Acquire_ByASecondHolderWhileTheFirstHoldsIt_IsRefused_UntilTheLeaseRunsOut()
    {
        Assert.True(await Store.TryAcquireAsync("billing", "host-a", T0, Lease, None));
        Assert.False(await Store.TryAcquireAsync("billing", "host-b", T0.AddMinutes(4), Lease, None));
        Assert.True(await Store.TryAcquireAsync("telephony", "host-b", T0.AddMinutes(4), Lease, None));
        Assert.True(await Store.TryAcquireAsync("billing", "host-a", T0.AddMinutes(4), Lease, None));
        Assert.False(await Store.TryAcquireAsync("billing", "host-b", T0.AddMinutes(8), Lease, None));
        Assert.True(await Store.TryAcquireAsync("billing", "host-b", T0.AddMinutes(9), Lease, None));
    }

    [Fact]
    public async Task Release_ByItsHolder_FreesTheSource_AndByAnotherDoesNothing()
    {
        await Store.TryAcquireAsync("billing", "host-a", T0, Lease, None);

        await Store.ReleaseAsync("billing", "host-b", None);
        Assert.False(await Store.TryAcquireAsync("billing", "host-b", T0.AddMinutes(1), Lease, None));
        await Store.ReleaseAsync("billing", "host-a", None);

        Assert.True(await Store.TryAcquireAsync("billing", "host-b", T0.AddMinutes(1), Lease, None));
    }

    [Fact]
    public async Task Acquire_RacedByManyHolders_HasOneWinner()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => Store.TryAcquireAsync("recordings", $"host-{i}", T0, Lease, None))));

        Assert.Single(results, won => won);
    }
}
