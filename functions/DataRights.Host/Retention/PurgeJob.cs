using DataRights.Host.Retention.Durable;
using DataRights.Host.Scheduling;
using Microsoft.DurableTask.Client;

namespace DataRights.Host.Retention;

/// <summary>
/// A region's nightly purge as a scheduled job (<c>purge-eu-west</c>, ...) of the stand-alone scheduler: it starts the
/// occurrence's purge orchestration, once (its instance id names the region and the occurrence). The Function App's
/// timer functions start the same orchestration themselves.
/// </summary>
public sealed class PurgeJob(PurgeRegion region, PurgeOrchestrations orchestrations, IServiceProvider services) : IScheduledJob
{
    public PurgeRegion Region => region;

    public string Name => region.JobName;

    public string Schedule => region.Schedule;

    public string TimeZoneId => region.TimeZoneId;

    // The client is looked up when the job runs: the stand-alone host registers one, the Function App binds one per function.
    public async Task RunAsync(DateTimeOffset scheduledFor, CancellationToken cancellationToken) =>
        await orchestrations.StartOccurrenceAsync(services.GetRequiredService<DurableTaskClient>(), region, scheduledFor, cancellationToken);
}
