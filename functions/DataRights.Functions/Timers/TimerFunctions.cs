using DataRights.Host.Scheduling;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace DataRights.Functions.Timers;

/// <summary>
/// One timer function per scheduled job of the stand-alone scheduler, named <c>timer-{job}</c>. Each runs its job's
/// latest occurrence that is due and not yet run (<see cref="JobScheduler.RunIfDueAsync"/>), so a trigger that fires
/// twice, or at an hour the local clock does not use today, runs nothing.
/// </summary>
public sealed class TimerFunctions(JobScheduler scheduler, ILogger<TimerFunctions> logger)
{
    public const string Prefix = "timer-";

    /// <summary>How far back a job that never ran catches up when its timer fires (the trigger fires at the occurrence).</summary>
    private static readonly TimeSpan FirstRunLookBack = TimeSpan.FromMinutes(15);

    [Function(Prefix + "overdue-digest")]
    public Task OverdueDigest([TimerTrigger(TimerTriggers.OverdueDigest)] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync("overdue-digest", cancellationToken);

    [Function(Prefix + "purge-eu-west")]
    public Task PurgeEuWest([TimerTrigger(TimerTriggers.PurgeEuWest)] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync("purge-eu-west", cancellationToken);

    [Function(Prefix + "purge-us-east")]
    public Task PurgeUsEast([TimerTrigger(TimerTriggers.PurgeUsEast)] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync("purge-us-east", cancellationToken);

    [Function(Prefix + "purge-us-west")]
    public Task PurgeUsWest([TimerTrigger(TimerTriggers.PurgeUsWest)] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync("purge-us-west", cancellationToken);

    private async Task RunAsync(string jobName, CancellationToken cancellationToken)
    {
        var job = scheduler.Jobs.Single(j => j.Name == jobName);
        var ran = await scheduler.RunIfDueAsync(job, FirstRunLookBack, cancellationToken);
        logger.TimerFired(jobName, ran);
    }
}
