using DataRights.Storage.AzureTables;
using DataRights.Storage.Tests.Infrastructure;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>The per-address verification attempts: counted in the store, shared by every instance, never past the limit within any window.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableVerificationAttemptsTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Day1 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task TryCount_UpToTheLimit_CountsThenRefusesUntilTheOldestAttemptIsAWindowOld()
    {
        var attempts = new AzureTableVerificationAttempts(await azurite.NewStoreAsync());

        var first = new List<DateTimeOffset?>();
        for (var i = 0; i < 4; i++)
        {
            first.Add(await attempts.TryCountAsync("hmac-sha256:aa", Day1.AddHours(i), Day, 3, None));
        }

        Assert.Equal([null, null, null, Day1 + Day], first);
        Assert.Null(await attempts.TryCountAsync("hmac-sha256:bb", Day1, Day, 3, None));
        Assert.Equal(Day1 + Day, await attempts.TryCountAsync("hmac-sha256:aa", Day1.AddHours(23.9), Day, 3, None));
        Assert.Null(await attempts.TryCountAsync("hmac-sha256:aa", Day1 + Day, Day, 3, None));
        Assert.Equal(Day1.AddHours(1) + Day, await attempts.TryCountAsync("hmac-sha256:aa", Day1 + Day, Day, 3, None));
    }

    [Fact]
    public async Task TryCount_AcrossMidnight_NeverLetsMoreThanTheLimitThroughInOneWindow()
    {
        var attempts = new AzureTableVerificationAttempts(await azurite.NewStoreAsync());
        var beforeMidnight = Day1.AddHours(23);

        var counted = 0;
        for (var minutes = 0; minutes < 120; minutes += 10)
        {
            counted += await attempts.TryCountAsync("hmac-sha256:ee", beforeMidnight.AddMinutes(minutes), Day, 5, None) is null ? 1 : 0;
        }

        Assert.Equal(5, counted);
    }

    [Fact]
    public async Task TryCount_FromTwoInstancesAtOnce_CountsExactlyTheLimitBetweenThem()
    {
        var one = await azurite.NewStoreAsync();
        var other = new AzureTableStore(one.Connection);
        var instances = new[] { new AzureTableVerificationAttempts(one), new AzureTableVerificationAttempts(other) };

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => instances[i % 2].TryCountAsync("hmac-sha256:cc", Day1, Day, 5, None)));

        Assert.Equal(5, results.Count(refusedUntil => refusedUntil is null));
        Assert.NotNull(await instances[1].TryCountAsync("hmac-sha256:cc", Day1, Day, 5, None));
    }

    [Fact]
    public async Task TryCount_LimitOfNone_CountsNothing()
    {
        var attempts = new AzureTableVerificationAttempts(await azurite.NewStoreAsync());

        Assert.NotNull(await attempts.TryCountAsync("hmac-sha256:dd", Day1, Day, 0, None));
        Assert.Null(await attempts.TryCountAsync("hmac-sha256:dd", Day1, Day, 1, None));
    }
}
