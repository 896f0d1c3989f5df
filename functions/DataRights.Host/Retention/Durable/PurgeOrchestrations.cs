using System.Globalization;
using DataRights.Core.Retention;
using DataRights.Host.Scheduling;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Retention.Durable;

/// <summary>
/// Starts purge orchestrations. A timer's instance id is the region and the occurrence (<see cref="InstanceId"/>), and an
/// existing instance (running, finished or failed) is left alone, so a second trigger, a second instance of the app or the
/// trigger of the other UTC hour starts nothing. A start looks the instance up first, and asks the task hub to refuse it
/// if one exists by then (<see cref="AnyStatus"/>): two starts at the same moment start one run. That id is the only
/// guard: purges take no locks of their own.
/// </summary>
public sealed class PurgeOrchestrations(IOptions<RetentionOptions> options, ILogger<PurgeOrchestrations> logger)
{
    /// <summary>Who starts a timer run (its trigger in the report and the audit chain).</summary>
    public const string TimerActor = "system:timer";

    /// <summary>A timer run's id names the region and the occurrence, so running an occurrence again resumes it.</summary>
    public static string TimerRunId(PurgeRegion region, DateTimeOffset scheduledFor, bool dryRun) =>
        string.Create(CultureInfo.InvariantCulture, $"pr_{region.Key}_{scheduledFor.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}{(dryRun ? "_dry" : string.Empty)}");

    /// <summary>
    /// A staff run's id names the region and the occurrence, the minute it was asked for (<see cref="StaffOccurrence"/>), so
    /// asking again within the minute (a double click, a retry) finds the same run: <c>pr_eu-west_20261202T1545Z_now</c>.
    /// </summary>
    public static string StaffRunId(PurgeRegion region, DateTimeOffset occurrence, bool dryRun) =>
        string.Create(CultureInfo.InvariantCulture, $"pr_{region.Key}_{occurrence.UtcDateTime:yyyyMMdd'T'HHmm'Z'}_now{(dryRun ? "_dry" : string.Empty)}");

    /// <summary>A staff run's occurrence: the minute of <paramref name="at"/>, in UTC.</summary>
    public static DateTimeOffset StaffOccurrence(DateTimeOffset at) =>
        new(at.UtcDateTime.Ticks - (at.UtcDateTime.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);

    /// <summary>The timer run of <paramref name="region"/> for <paramref name="occurrence"/>: <c>purge-eu-west-202612020230</c> (UTC), <c>-dry</c> for a dry run.</summary>
    public static string InstanceId(PurgeRegion region, DateTimeOffset occurrence, bool dryRun) =>
        string.Create(CultureInfo.InvariantCulture, $"purge-{region.Key}-{occurrence.UtcDateTime:yyyyMMddHHmm}{(dryRun ? "-dry" : string.Empty)}");

    /// <summary>A staff run's instance: named after its run id, which is unique.</summary>
    public static string StaffInstanceId(string runId) => "purge-" + runId;

    /// <summary>
    /// The region's latest local occurrence at or before <paramref name="now"/> and no older than <paramref name="lookBack"/>;
    /// null when the trigger fired at a UTC hour the local clock does not use today.
    /// </summary>
    public static DateTimeOffset? DueOccurrence(PurgeRegion region, DateTimeOffset now, TimeSpan lookBack)
    {
        ArgumentNullException.ThrowIfNull(region);
        var schedule = new CronSchedule(region.Schedule, region.TimeZoneId);
        DateTimeOffset? due = null;
        for (var next = schedule.NextAfter(now - lookBack); next <= now; next = schedule.NextAfter(next))
        {
            due = next;
        }

        return due;
    }

    /// <summary>
    /// How early a timer may fire and still start the occurrence it fired for: Azure's timers have been seen to fire a few
    /// milliseconds before their time, and the region's occurrence would then not be due yet, with no later trigger that
    /// night to find it (the other UTC hour's comes first in winter).
    /// </summary>
    public static readonly TimeSpan EarlyFire = TimeSpan.FromMinutes(1);

    /// <summary>The timer: starts the run of the region's due occurrence (due within <see cref="EarlyFire"/>) unless it was started before; true when this call started it.</summary>
    public async Task<bool> StartDueAsync(DurableTaskClient client, PurgeRegion region, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(region);
        // Widened, not moved: the look-back still reaches as far back as it says.
        if (DueOccurrence(region, now + EarlyFire, options.Value.TimerLookBack + EarlyFire) is not { } occurrence)
        {
            return false;
        }

        return await StartOccurrenceAsync(client, region, occurrence, cancellationToken);
    }

    /// <summary>Starts the run of <paramref name="occurrence"/> unless its instance exists; true when this call started it.</summary>
    public Task<bool> StartOccurrenceAsync(DurableTaskClient client, PurgeRegion region, DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(region);
        var dryRun = options.Value.DryRun;
        return StartAsync(client, InstanceId(region, occurrence, dryRun), Input(region, TimerRunId(region, occurrence, dryRun), occurrence, TimerActor, dryRun), cancellationToken);
    }

    /// <summary>
    /// Staff "run now": starts the run <paramref name="runId"/> (its id names the region and the occurrence) unless its
    /// instance exists, and returns without waiting; <see cref="FindAsync"/> reports how it goes. True when this call started it.
    /// </summary>
    public Task<bool> StartNowAsync(DurableTaskClient client, PurgeRegion region, string runId, DateTimeOffset occurrence, string actor, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(region);
        return StartAsync(client, StaffInstanceId(runId), Input(region, runId, occurrence, actor, dryRun), cancellationToken);
    }

    /// <summary>
    /// The orchestration that carries the run <paramref name="runId"/>: a staff run's instance, else (for a stored timer run)
    /// the timer's instance of its region and occurrence, or the last that started it again (<see cref="ResumeFailedAsync"/>);
    /// null when none exists.
    /// </summary>
    public static async Task<OrchestrationMetadata?> FindAsync(DurableTaskClient client, string runId, PurgeRun? stored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (await client.GetInstanceAsync(StaffInstanceId(runId), getInputsAndOutputs: false, cancellationToken) is { } staff)
        {
            return await LatestAsync(client, StaffInstanceId(runId), staff, cancellationToken);
        }

        if (stored is not { Trigger: TimerActor } || PurgeRegions.Find(stored.Region) is not { } region)
        {
            return null;
        }

        var first = InstanceId(region, stored.ScheduledFor, stored.DryRun);
        return await client.GetInstanceAsync(first, getInputsAndOutputs: false, cancellationToken) is { } timer
            ? await LatestAsync(client, first, timer, cancellationToken)
            : null;
    }

    /// <summary>The last instance that carried the run of <paramref name="first"/>: it, or the last that started it again.</summary>
    private static async Task<OrchestrationMetadata> LatestAsync(DurableTaskClient client, string first, OrchestrationMetadata instance, CancellationToken cancellationToken)
    {
        var latest = instance;
        for (var resume = 1; latest.RuntimeStatus == OrchestrationRuntimeStatus.Failed && resume <= MaxResumes; resume++)
        {
            if (await client.GetInstanceAsync(ResumeInstanceId(first, resume), getInputsAndOutputs: false, cancellationToken) is not { } again)
            {
                break;
            }

            latest = again;
        }

        return latest;
    }

    /// <summary>How many times a purge run whose orchestration failed is started again (<see cref="ResumeFailedAsync"/>).</summary>
    public const int MaxResumes = 3;

    /// <summary>How far back <see cref="ResumeFailedAsync"/> looks for purge runs whose orchestration failed.</summary>
    public static readonly TimeSpan ResumeLookBack = TimeSpan.FromDays(7);

    /// <summary>The instance that starts the run of <paramref name="instanceId"/> again for the <paramref name="resume"/>th time: <c>purge-eu-west-202612020230-again-1</c>.</summary>
    public static string ResumeInstanceId(string instanceId, int resume) =>
        string.Create(CultureInfo.InvariantCulture, $"{instanceId}-again-{resume}");

    /// <summary>
    /// Every hour (from the workflow check): the purge runs of the last <see cref="ResumeLookBack"/> whose orchestration
    /// failed (its start or finish kept failing past <c>RunStepRetryFor</c>, through a long storage or broker outage), and
    /// whose last start again failed too, are started again under an instance of their own
    /// (<see cref="ResumeInstanceId"/>) with the same run id, up to <see cref="MaxResumes"/> times a run: the timer runs of
    /// each region's occurrences, and the staff runs ("run now", found in the task hub by their instance's name). The run
    /// picks up where it stood: its start finds it stored, a source's lines already final are skipped, and its finish
    /// writes the report. An occurrence that was never started (the app was down that night) is not started here: the
    /// next night's run purges what is due. Returns how many runs this call started again.
    /// </summary>
    public async Task<int> ResumeFailedAsync(DurableTaskClient client, IEnumerable<PurgeRegion> regions, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(regions);
        var dryRun = options.Value.DryRun;
        var started = 0;
        foreach (var region in regions)
        {
            var schedule = new CronSchedule(region.Schedule, region.TimeZoneId);
            for (var occurrence = schedule.NextAfter(now - ResumeLookBack); occurrence <= now; occurrence = schedule.NextAfter(occurrence))
            {
                var first = InstanceId(region, occurrence, dryRun);
                started += await ResumeAsync(client, first, await client.GetInstanceAsync(first, getInputsAndOutputs: false, cancellationToken), Input(region, TimerRunId(region, occurrence, dryRun), occurrence, TimerActor, dryRun), cancellationToken);
            }
        }

        // Staff runs: each failed instance of one (not a start again) with its input, which says what was asked and when.
        var failed = new OrchestrationQuery { InstanceIdPrefix = StaffInstanceId("pr_"), Statuses = [OrchestrationRuntimeStatus.Failed], FetchInputsAndOutputs = true };
        var staffRuns = new List<(OrchestrationMetadata Instance, PurgeRunInput Input)>();
        await foreach (var instance in client.GetAllInstancesAsync(failed).WithCancellation(cancellationToken))
        {
            // Started again as the run was asked for (its first generation), whatever generation failed.
            if (!instance.InstanceId.Contains("-again-", StringComparison.Ordinal) && instance.ReadInputAs<PurgeRunInput>() is { } input
                && input.Actor != TimerActor && input.ScheduledFor >= now - ResumeLookBack && input.ScheduledFor <= now
                && PurgeRegions.Find(input.Region) is { } region)
            {
                staffRuns.Add((instance, Input(region, input.RunId, input.ScheduledFor, input.Actor, input.DryRun)));
            }
        }

        foreach (var (instance, input) in staffRuns)
        {
            started += await ResumeAsync(client, instance.InstanceId, instance, input, cancellationToken);
        }

        return started;
    }

    /// <summary>
    /// Starts the run of <paramref name="first"/> (found as <paramref name="latest"/>) again when it and its last start again
    /// failed, unless it was started again <see cref="MaxResumes"/> times; returns 1 when it did.
    /// </summary>
    private async Task<int> ResumeAsync(DurableTaskClient client, string first, OrchestrationMetadata? latest, PurgeRunInput input, CancellationToken cancellationToken)
    {
        var started = 0;
        for (var resume = 1; latest is { RuntimeStatus: OrchestrationRuntimeStatus.Failed } && resume <= MaxResumes; resume++)
        {
            var next = ResumeInstanceId(first, resume);
            if (await client.GetInstanceAsync(next, getInputsAndOutputs: false, cancellationToken) is { } again)
            {
                latest = again;
                continue;
            }

            logger.PurgeRunResumed(first, next, resume, MaxResumes);
            started += await StartAsync(client, next, input, cancellationToken) ? 1 : 0;
            latest = null;
        }

        if (latest is { RuntimeStatus: OrchestrationRuntimeStatus.Failed })
        {
            logger.PurgeRunGivenUp(first, MaxResumes);
        }

        return started;
    }

    /// <summary>Every status an instance can have: a start is refused whatever state the existing instance is in.</summary>
    internal static readonly OrchestrationRuntimeStatus[] AnyStatus = [.. StartOrchestrationOptionsExtensions.ValidDedupeStatuses];

    private PurgeRunInput Input(PurgeRegion region, string runId, DateTimeOffset scheduledFor, string actor, bool dryRun) =>
        new(runId, region.Key, scheduledFor, actor, dryRun, options.Value.BatchesPerGeneration, RunStepRetryFirst: options.Value.RunStepRetryFirst, RunStepRetryFor: options.Value.RunStepRetryFor);

    private async Task<bool> StartAsync(DurableTaskClient client, string instanceId, PurgeRunInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is not null)
        {
            logger.PurgeOrchestrationExists(instanceId);
            return false;
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                PurgeOrchestrator.Name, input, new StartOrchestrationOptions(instanceId).WithDedupeStatuses(AnyStatus), cancellationToken);
        }
        catch (OrchestrationAlreadyExistsException)
        {
            // Another trigger started it between the look-up and here.
            logger.PurgeOrchestrationExists(instanceId);
            return false;
        }

        logger.PurgeOrchestrationStarted(instanceId, input.Region);
        return true;
    }
}
