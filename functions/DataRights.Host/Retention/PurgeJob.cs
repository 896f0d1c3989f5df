using DataRights.Core.Retention;
using DataRights.Host.Durable;
using DataRights.Host.Retention.Durable;
using DataRights.Host.Scheduling;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Retention;

/// <summary>
/// A region's nightly purge as a scheduled job (<c>purge-eu-west</c>, ...) of the stand-alone scheduler. With
/// <c>DataRights:Durable:Enabled</c> it starts the occurrence's purge orchestration (once: its instance id names the
/// region and the occurrence). Without, it runs the purge here; running it again for the same occurrence resumes that
/// run, and when a source was busy (another instance held it) the job fails so the scheduler tries the occurrence again
/// shortly, and the run completes once the source is free.
/// </summary>
public sealed class PurgeJob(
    PurgeRegion region, PurgeRunner runner, PurgeOrchestrations orchestrations, IOptions<RetentionOptions> options, IOptions<DurableOptions> durable, IServiceProvider services)
    : IScheduledJob
{
    public PurgeRegion Region => region;

    public string Name => region.JobName;

    public string Schedule => region.Schedule;

    public string TimeZoneId => region.TimeZoneId;

    public async Task RunAsync(DateTimeOffset scheduledFor, CancellationToken cancellationToken)
    {
        if (durable.Value.Enabled && services.GetService<DurableTaskClient>() is { } client)
        {
            await orchestrations.StartOccurrenceAsync(client, region, scheduledFor, cancellationToken);
            return;
        }

        var dryRun = options.Value.DryRun;
        var run = await runner.RunAsync(region, PurgeRunner.TimerRunId(region, scheduledFor, dryRun), scheduledFor, "system:timer", dryRun, cancellationToken);
        if (run.Status == PurgeRun.Incomplete)
        {
            throw new PurgeIncompleteException(run.Id);
        }
    }
}
