using DataRights.Core.Ports;

namespace DataRights.Host.Scheduling;

/// <summary>
/// Runs scheduled jobs. Each job remembers the occurrence it last ran for; when several were missed (the host was
/// down), the latest is run once, not every one. Stand-alone, a loop of the host runs them
/// (<see cref="JobSchedulerLoop"/>); the Function App does not start the loop, and each job's timer function calls
/// <see cref="RunIfDueAsync"/>.
/// </summary>
public sealed class JobScheduler(IEnumerable<IScheduledJob> jobs, IJobRunStore runs, TimeProvider time, ILogger<JobScheduler> logger)
{
    public IReadOnlyList<IScheduledJob> Jobs { get; } = [.. jobs];

    /// <summary>Runs every job whose next occurrence is due now; returns how many ran (tests drive this directly).</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var ran = 0;
        foreach (var job in Jobs)
        {
            // First start: only occurrences from now on.
            if (await RunIfDueAsync(job, TimeSpan.FromTicks(1), cancellationToken))
            {
                ran++;
            }
        }

        return ran;
    }

    /// <summary>
    /// Runs the latest occurrence of <paramref name="job"/> that is due and not yet run; true when it ran. A job that
    /// never ran catches up occurrences no older than <paramref name="firstRunLookBack"/> (a timer fires at or just
    /// after the occurrence it is for). An occurrence due within <paramref name="early"/> counts as due: a timer trigger
    /// may fire a little before its time, and that occurrence would otherwise wait for the next trigger.
    /// </summary>
    public async Task<bool> RunIfDueAsync(IScheduledJob job, TimeSpan firstRunLookBack, CancellationToken cancellationToken, TimeSpan early = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var clock = time.GetUtcNow();
        var now = clock + early;
        var schedule = new CronSchedule(job.Schedule, job.TimeZoneId);
        var last = await runs.LastRunAsync(job.Name, cancellationToken);

        // Afterwards, the latest one missed (caught up once).
        var cursor = last ?? now - firstRunLookBack;
        DateTimeOffset? due = null;
        for (var next = schedule.NextAfter(cursor); next <= now; next = schedule.NextAfter(next))
        {
            due = next;
        }

        if (due is { } occurrence)
        {
            await job.RunAsync(occurrence, cancellationToken);
            await runs.RecordAsync(job.Name, occurrence, time.GetUtcNow(), cancellationToken);
            logger.JobRan(job.Name, occurrence);
            return true;
        }

        if (last is null)
        {
            // Remember the start, so a run missed before the next start is caught up.
            await runs.RecordAsync(job.Name, now, clock, cancellationToken);
        }

        return false;
    }
}
