using DataRights.Core.Ports;

namespace DataRights.Host.Scheduling;

/// <summary>
/// Runs scheduled jobs in the stand-alone host. Each job remembers the occurrence it last ran for;
/// when several were missed (the host was down), the latest is run once, not every one.
/// </summary>
public sealed class JobScheduler(IEnumerable<IScheduledJob> jobs, IJobRunStore runs, TimeProvider time, ILogger<JobScheduler> logger) : BackgroundService
{
    /// <summary>Runs every job whose next occurrence is due now; returns how many ran (tests drive this directly).</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var ran = 0;
        var now = time.GetUtcNow();
        foreach (var job in jobs)
        {
            var schedule = new CronSchedule(job.Schedule, job.TimeZoneId);
            var last = await runs.LastRunAsync(job.Name, cancellationToken);

            // First start: only occurrences from now on; afterwards, the latest one missed (caught up once).
            var cursor = last ?? now.AddTicks(-1);
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
                ran++;
            }
            else if (last is null)
            {
                // Remember the start, so a run missed before the next start is caught up.
                await runs.RecordAsync(job.Name, now, now, cancellationToken);
            }
        }

        return ran;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunDueAsync(stoppingToken);
                await Task.Delay(TimeSpan.FromSeconds(30), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.JobFailed(ex.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(30), stoppingToken);
            }
        }
    }
}
