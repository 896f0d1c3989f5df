using System.Globalization;
using DataRights.Core.Retention;
using DataRights.Host.Retention;
using DataRights.Host.Retention.Durable;
using DataRights.Host.Scheduling;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static DataRights.Integration.Tests.Retention.PurgeKit;

namespace DataRights.Integration.Tests.Retention;

/// <summary>
/// The purge timers, driven by the real scheduler and a fake clock stepped through the days around a
/// clock change: each region's run happens at its local night time, before and after the change.
/// </summary>
public sealed class PurgeScheduleTests
{
    [Theory]
    // Europe/London, spring: 02:30 GMT is 02:30 UTC; from Sunday 28 March 2027, 02:30 BST is 01:30 UTC.
    [InlineData("purge-eu-west", "2027-03-26T00:00:00Z", "2027-03-26T02:30:00Z,2027-03-27T02:30:00Z,2027-03-28T01:30:00Z,2027-03-29T01:30:00Z")]
    // Europe/London, autumn: until Saturday 24 October 2026 BST (01:30 UTC), from Sunday 25 October GMT (02:30 UTC).
    [InlineData("purge-eu-west", "2026-10-23T00:00:00Z", "2026-10-23T01:30:00Z,2026-10-24T01:30:00Z,2026-10-25T02:30:00Z,2026-10-26T02:30:00Z")]
    // America/New_York, spring: 03:30 EST is 08:30 UTC; from Sunday 14 March 2027, 03:30 EDT is 07:30 UTC.
    [InlineData("purge-us-east", "2027-03-12T00:00:00Z", "2027-03-12T08:30:00Z,2027-03-13T08:30:00Z,2027-03-14T07:30:00Z,2027-03-15T07:30:00Z")]
    // America/New_York, autumn: the clocks go back on Sunday 1 November 2026 at 02:00 EDT.
    [InlineData("purge-us-east", "2026-10-30T00:00:00Z", "2026-10-30T07:30:00Z,2026-10-31T07:30:00Z,2026-11-01T08:30:00Z,2026-11-02T08:30:00Z")]
    public async Task Timer_AcrossAClockChange_RunsAtTheRegionsNightTime(string job, string from, string expected)
    {
        var start = DateTimeOffset.Parse(from, CultureInfo.InvariantCulture);
        using var factory = new DataRightsFactory(
            clock: new FakeTimeProvider(start),
            settings: new Dictionary<string, string?> { ["DataRights:Retention:DryRun"] = "true" });
        using var client = factory.CreateClient();
        var runs = new RecordingJobRuns();
        var scheduler = new JobScheduler(
            factory.Services.GetServices<IScheduledJob>().Where(j => j.Name == job), runs, factory.Clock, factory.Services.GetRequiredService<ILogger<JobScheduler>>());
        await scheduler.RunDueAsync(CancellationToken.None);

        // Four days in ten-minute steps, as the in-process scheduler's loop would see them.
        for (var step = 0; step < 4 * 24 * 6; step++)
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(10));
            await scheduler.RunDueAsync(CancellationToken.None);
        }

        var expectedTimes = expected.Split(',').Select(t => DateTimeOffset.Parse(t, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(expectedTimes, runs.Ran.Select(r => r.ScheduledFor));

        // Each occurrence ran a purge of its own (a dry run here), named after it: an orchestration each, run to the end.
        await factory.DrainAsync();
        var region = PurgeRegions.All.Single(r => r.JobName == job);
        var completed = (await factory.Stored.PurgeRunsAsync()).Where(r => r.Status == PurgeRun.Completed).Select(r => r.Id).ToList();
        Assert.All(expectedTimes, t => Assert.Single(completed, id => id == PurgeOrchestrations.TimerRunId(region, t, dryRun: true)));
    }

    [Fact]
    public async Task Timer_FiredTwiceAtTheSameMoment_StartsOneRun()
    {
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?> { ["DataRights:Retention:DryRun"] = "true" });
        using var client = factory.CreateClient();
        var purges = factory.Services.GetRequiredService<PurgeOrchestrations>();
        var region = PurgeRegions.Find("us-east")!;
        var occurrence = new DateTimeOffset(2026, 11, 2, 8, 30, 0, TimeSpan.Zero);

        // Two triggers (or the stand-alone loop beside a timer function) both looked the run up before either started it.
        var hub = new Durable.LateLookupDurableClient(factory.Services.GetRequiredService<DurableTaskClient>()) { LateLookups = 2 };
        var started = await Task.WhenAll(
            purges.StartOccurrenceAsync(hub, region, occurrence, CancellationToken.None),
            purges.StartOccurrenceAsync(hub, region, occurrence, CancellationToken.None));
        await factory.DrainAsync();

        Assert.Single(started, s => s);
        var run = Assert.Single(await factory.Stored.PurgeRunsAsync());
        Assert.Equal(PurgeOrchestrations.TimerRunId(region, occurrence, dryRun: true), run.Id);
        Assert.Equal(PurgeRun.Completed, run.Status);
    }

    [Fact]
    public async Task Timer_MissedWhileTheHostWasDown_IsCaughtUpOnce()
    {
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?> { ["DataRights:Retention:DryRun"] = "true" });
        using var client = factory.CreateClient();
        var runs = new RecordingJobRuns();
        var scheduler = new JobScheduler(
            factory.Services.GetServices<IScheduledJob>().Where(j => j.Name.StartsWith("purge-", StringComparison.Ordinal)), runs, factory.Clock,
            factory.Services.GetRequiredService<ILogger<JobScheduler>>());
        await scheduler.RunDueAsync(CancellationToken.None);

        // Down from Monday 2 November 09:30 UTC to Friday 6 November 12:00 UTC: four nights missed in every region.
        factory.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 6, 12, 0, 0, TimeSpan.Zero));
        var ran = await scheduler.RunDueAsync(CancellationToken.None);

        Assert.Equal(3, ran);
        Assert.Equal(
            ["purge-eu-west@2026-11-06T02:30:00Z", "purge-us-east@2026-11-06T08:30:00Z", "purge-us-west@2026-11-06T11:30:00Z"],
            runs.Ran.Select(r => $"{r.Job}@{r.ScheduledFor.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}").Order(StringComparer.Ordinal));
        Assert.Equal(0, await scheduler.RunDueAsync(CancellationToken.None));

        // One run per region, for its latest night only, each run to the end.
        await factory.DrainAsync();
        var completed = (await factory.Stored.PurgeRunsAsync()).Where(r => r.Status == PurgeRun.Completed).Select(r => r.Id).Order(StringComparer.Ordinal);
        Assert.Equal(["pr_eu-west_20261106T023000Z_dry", "pr_us-east_20261106T083000Z_dry", "pr_us-west_20261106T113000Z_dry"], completed);
    }

    [Fact]
    public void Jobs_HaveStableNamesAndSixFieldSchedulesInTheirZones()
    {
        using var factory = new DataRightsFactory();
        var jobs = factory.Services.GetServices<IScheduledJob>().Where(j => j.Name.StartsWith("purge-", StringComparison.Ordinal)).ToList();

        Assert.Equal(["purge-eu-west", "purge-us-east", "purge-us-west"], jobs.Select(j => j.Name));
        Assert.Equal(["Europe/London", "America/New_York", "America/Los_Angeles"], jobs.Select(j => j.TimeZoneId));
        Assert.All(jobs, j => Assert.Equal(6, j.Schedule.Split(' ').Length));
    }
}
