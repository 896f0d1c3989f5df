using DataRights.Core.Retention;
using DataRights.Host.Scheduling;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Retention;

/// <summary>
/// A region's nightly purge as a scheduled job (<c>purge-eu-west</c>, ...). Running it again for the
/// same occurrence resumes that run. When a source was busy (another instance held it), the job fails
/// so the scheduler tries the occurrence again shortly, and the run completes once the source is free.
/// </summary>
public sealed class PurgeJob(PurgeRegion region, PurgeRunner runner, IOptions<RetentionOptions> options) : IScheduledJob
{
    public PurgeRegion Region => region;

    public string Name => region.JobName;

    public string Schedule => region.Schedule;

    public string TimeZoneId => region.TimeZoneId;

    public async Task RunAsync(DateTimeOffset scheduledFor, CancellationToken cancellationToken)
    {
        var dryRun = options.Value.DryRun;
        var run = await runner.RunAsync(region, PurgeRunner.TimerRunId(region, scheduledFor, dryRun), scheduledFor, "system:timer", dryRun, cancellationToken);
        if (run.Status == PurgeRun.Incomplete)
        {
            throw new PurgeIncompleteException(run.Id);
        }
    }
}
