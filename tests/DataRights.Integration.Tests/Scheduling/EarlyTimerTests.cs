using DataRights.Host.Retention.Durable;
using DataRights.Host.Scheduling;
using DataRights.Integration.Tests.Retention;
using Microsoft.Extensions.Logging.Abstractions;
using DataRights.Testing;

namespace DataRights.Integration.Tests.Scheduling;

/// <summary>A timer trigger that fires a little before its time still runs the occurrence it fired for, once.</summary>
public sealed class EarlyTimerTests
{
    private static readonly DateTimeOffset Eight = new(2026, 12, 7, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task DigestTimerFiringFiveMillisecondsEarly_RunsThatMorningsDigest_AndOnlyOnce()
    {
        var clock = new FakeTimeProvider(Eight - TimeSpan.FromMilliseconds(5));
        var runs = new PurgeKit.RecordingJobRuns();
        runs.Seed("digest", Eight - TimeSpan.FromDays(1));
        var job = new Job();
        var scheduler = new JobScheduler([job], runs, clock, NullLogger<JobScheduler>.Instance);

        Assert.True(await scheduler.RunIfDueAsync(job, TimeSpan.FromMinutes(15), CancellationToken.None, PurgeOrchestrations.EarlyFire));
        clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.False(await scheduler.RunIfDueAsync(job, TimeSpan.FromMinutes(15), CancellationToken.None, PurgeOrchestrations.EarlyFire));

        Assert.Equal([Eight], job.RanFor);
    }

    [Fact]
    public async Task WithoutTolerance_AnEarlyTriggerRunsNothing()
    {
        var clock = new FakeTimeProvider(Eight - TimeSpan.FromMilliseconds(5));
        var runs = new PurgeKit.RecordingJobRuns();
        runs.Seed("digest", Eight - TimeSpan.FromDays(1));
        var job = new Job();

        Assert.False(await new JobScheduler([job], runs, clock, NullLogger<JobScheduler>.Instance).RunIfDueAsync(job, TimeSpan.FromMinutes(15), CancellationToken.None));
        Assert.Empty(job.RanFor);
    }

    /// <summary>A digest at 08:00 Amsterdam time (07:00 UTC in winter).</summary>
    private sealed class Job : IScheduledJob
    {
        public List<DateTimeOffset> RanFor { get; } = [];

        public string Name => "digest";

        public string Schedule => "0 0 8 * * *";

        public string TimeZoneId => "Europe/Amsterdam";

        public Task RunAsync(DateTimeOffset scheduledFor, CancellationToken cancellationToken)
        {
            RanFor.Add(scheduledFor);
            return Task.CompletedTask;
        }
    }
}
