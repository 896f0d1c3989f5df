using DataRights.Host.Durable;
using DataRights.Host.Retention;
using DataRights.Host.Retention.Durable;
using DataRights.Host.Scheduling;
using Microsoft.DurableTask.Client;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace DataRights.Functions.Timers;

/// <summary>
/// One timer function per scheduled job of the stand-alone scheduler, named <c>timer-{job}</c>. The digest runs its
/// latest occurrence that is due and not yet run (<see cref="JobScheduler.RunIfDueAsync"/>); a purge timer starts the
/// purge orchestration of its region's occurrence (<see cref="PurgeOrchestrations.StartDueAsync"/>). Either way a trigger
/// that fires twice, or at an hour the local clock does not use today, runs nothing.
/// </summary>
public sealed class TimerFunctions(JobScheduler scheduler, PurgeOrchestrations purges, TimeProvider time, ILogger<TimerFunctions> logger)
{
    public const string Prefix = "timer-";

    /// <summary>How far back a job that never ran catches up when its timer fires (the trigger fires at the occurrence).</summary>
    private static readonly TimeSpan FirstRunLookBack = TimeSpan.FromMinutes(15);

    [Function(Prefix + "overdue-digest")]
    public Task OverdueDigest([TimerTrigger(TimerTriggers.OverdueDigest)] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync("overdue-digest", cancellationToken);

    [Function(Prefix + WorkflowCheckJob.JobName)]
    public async Task WorkflowCheck([TimerTrigger(TimerTriggers.WorkflowCheck)] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        // The job looks at each open request's orchestration, and a restart tells it, through this invocation's client.
        using (DurableClientScope.Use(client))
        {
            await RunAsync(WorkflowCheckJob.JobName, cancellationToken);
        }
    }

    [Function(Prefix + "purge-eu-west")]
    public Task PurgeEuWest([TimerTrigger(TimerTriggers.PurgeEuWest)] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        StartPurgeAsync("eu-west", client, cancellationToken);

    [Function(Prefix + "purge-us-east")]
    public Task PurgeUsEast([TimerTrigger(TimerTriggers.PurgeUsEast)] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        StartPurgeAsync("us-east", client, cancellationToken);

    [Function(Prefix + "purge-us-west")]
    public Task PurgeUsWest([TimerTrigger(TimerTriggers.PurgeUsWest)] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        StartPurgeAsync("us-west", client, cancellationToken);

    /// <summary>
    /// A purge timer starts the region's purge orchestration for the local occurrence it fired for; its instance id (region
    /// and occurrence) is the guard, so the trigger of the other UTC hour, or a second instance, starts nothing.
    /// </summary>
    private async Task StartPurgeAsync(string regionKey, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var region = PurgeRegions.Find(regionKey)!;
        var started = await purges.StartDueAsync(client, region, time.GetUtcNow(), cancellationToken);
        logger.TimerFired(region.JobName, started);
    }

    private async Task RunAsync(string jobName, CancellationToken cancellationToken)
    {
        var job = scheduler.Jobs.Single(j => j.Name == jobName);
        // A trigger that fires a few milliseconds early still runs its occurrence, as the purge timers do.
        var ran = await scheduler.RunIfDueAsync(job, FirstRunLookBack, cancellationToken, PurgeOrchestrations.EarlyFire);
        logger.TimerFired(jobName, ran);
    }
}
