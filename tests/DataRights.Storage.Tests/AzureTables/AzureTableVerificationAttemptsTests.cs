using DataRights.Storage.AzureTables;
using DataRights.Storage.Tests.Infrastructure;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>The per-address verification attempts: counted in the store, shared by every instance, never past the limit.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableVerificationAttemptsTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Day1 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task TryCount_UpToTheLimit_CountsThenRefusesUntilTheNextWindow()
    {
        var attempts = new AzureTableVerificationAttempts(await azurite.NewStoreAsync());

        var first = new List<bool>();
        for (var i = 0; i < 4; i++)
        {
            first.Add(await attempts.TryCountAsync("hmac-sha256:aa", Day1, 3, None));
        }

        Assert.Equal([true, true, true, false], first);
        Assert.True(await attempts.TryCountAsync("hmac-sha256:bb", Day1, 3, None));
        Assert.True(await attempts.TryCountAsync("hmac-sha256:aa", Day1.AddDays(1), 3, None));
        Assert.True(await attempts.TryCountAsync("hmac-sha256:aa", Day1.AddDays(1), 3, None));
    }

    [Fact]
    public async Task TryCount_FromTwoInstancesAtOnce_CountsExactlyTheLimitBetweenThem()
    {
        var one = await azurite.NewStoreAsync();
        var other = new AzureTableStore(one.Connection);
        var instances = new[] { new AzureTableVerificationAttempts(one), new AzureTableVerificationAttempts(other) };

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => instances[i % 2].TryCountAsync("hmac-sha256:cc", Day1, 5, None)));

        Assert.Equal(5, results.Count(counted => counted));
        Assert.False(await instances[1].TryCountAsync("hmac-sha256:cc", Day1, 5, None));
    }

    [Fact]
    public async Task TryCount_LimitOfNone_CountsNothing()
    {
        var attempts = new AzureTableVerificationAttempts(await azurite.NewStoreAsync());

        Assert.False(await attempts.TryCountAsync("hmac-sha256:dd", Day1, 0, None));
        Assert.True(await attempts.TryCountAsync("hmac-sha256:dd", Day1, 1, None));
    }
}
