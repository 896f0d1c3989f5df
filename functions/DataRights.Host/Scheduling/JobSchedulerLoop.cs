namespace DataRights.Host.Scheduling;

/// <summary>
/// The stand-alone host's timer: every 30 seconds it runs the scheduled jobs that are due (<see cref="JobScheduler.RunDueAsync"/>).
/// The Function App has no loop; its timer functions run the jobs.
/// </summary>
public sealed class JobSchedulerLoop(JobScheduler scheduler, ILogger<JobSchedulerLoop> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await scheduler.RunDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.JobFailed(ex.GetType().Name);
            }

            try
            {
                await Task.Delay(Interval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
