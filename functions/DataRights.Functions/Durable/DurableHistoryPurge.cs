using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace DataRights.Functions.Durable;

/// <summary>
/// Housekeeping of the Durable Task hub: each night, deletes the history of finished orchestrations (completed, failed,
/// terminated) created more than <see cref="KeepFor"/> ago (the task hub filters by creation time: a generation that
/// continued as new was created when it began). A request's record and audit trail live in DataRights' own store; an
/// orchestration's history is working state (inputs included), so it is not kept longer than needed.
/// </summary>
public sealed class DurableHistoryPurge(TimeProvider time, ILogger<DurableHistoryPurge> logger)
{
    public const string Name = "durable-history-purge";

    /// <summary>Daily at 04:15 UTC.</summary>
    public const string Schedule = "0 15 4 * * *";

    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(30);

    [Function(Name)]
    public async Task RunAsync([TimerTrigger(Schedule)] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var filter = new PurgeInstancesFilter(
            CreatedFrom: null,
            CreatedTo: time.GetUtcNow() - KeepFor,
            Statuses: [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated]);
        var result = await client.PurgeAllInstancesAsync(filter, cancellationToken);
        logger.DurableHistoryPurged(result.PurgedInstanceCount);
    }
}
