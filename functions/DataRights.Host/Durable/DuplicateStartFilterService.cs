using DurableTask.Core;
using DurableTask.Core.History;

namespace DataRights.Host.Durable;

/// <summary>
/// The local task hub's backend as its gRPC sidecar sees it, with a start message delivered again taken out of an
/// episode. The Azure Storage backend delivers a control-queue message again once its visibility timeout has passed
/// (20 s locally), and under a heavy burst on Azurite (which can stall for 20 s and more) an orchestration's start was
/// delivered a second time after its first delivery had already been written to the history. The sidecar
/// (Microsoft.DurableTask.InProcessTestHost 0.2.3-preview.1) does not filter such a message, as Durable Functions'
/// dispatcher does; it added the second start to the history, which then never loaded again ("Multiple
/// ExecutionStartedEvent found"), and the request's orchestration stayed stuck (5 of 1,307 in the intake bench of
/// 2026-12-06). Here a start for the execution the history already holds, or a second start of one execution in the
/// same episode, is left out of the episode's new messages (log 3447); the backend still removes it from its queue when
/// the episode completes. A start of a new execution of the same instance (a new run after the last one ended) passes.
/// </summary>
public sealed class DuplicateStartFilterService(IOrchestrationService inner, ILogger logger) : DelegatingOrchestrationService(inner)
{
    public override async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        var workItem = await Inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);
        if (workItem?.NewMessages is { Count: > 0 } messages)
        {
            var started = new HashSet<string>(StringComparer.Ordinal);
            if (workItem.OrchestrationRuntimeState?.ExecutionStartedEvent?.OrchestrationInstance?.ExecutionId is { } running)
            {
                started.Add(running);
            }

            List<TaskMessage> kept = new(messages.Count);
            foreach (var message in messages)
            {
                if (message.Event is ExecutionStartedEvent start && (start.OrchestrationInstance?.ExecutionId ?? message.OrchestrationInstance?.ExecutionId) is { } execution
                    && !started.Add(execution))
                {
                    logger.DuplicateStartDropped(workItem.InstanceId, execution);
                    continue;
                }

                kept.Add(message);
            }

            if (kept.Count < messages.Count)
            {
                workItem.NewMessages = kept;
            }
        }

        return workItem!;
    }
}
