using DurableTask.Core;
using DurableTask.Core.History;

namespace DataRights.Host.Durable;

/// <summary>
/// The local task hub's backend as its gRPC sidecar sees it, with sub-orchestrations made storable. The sidecar
/// (Microsoft.DurableTask.InProcessTestHost 0.2.3-preview.1) gives a sub-orchestration's start message the tags of the
/// worker's request as they came, a protobuf map, which the Azure Storage backend writes with its .NET type name and
/// cannot read back; and it records the child's creation in the parent's history as a subclass of its own, which the
/// backend does not write as a history event, so the parent's history no longer loads ("The TableEntity did not contain
/// a 'EventType' property") and the child never completes into it. Here the tags become a plain dictionary (none when
/// empty) and the creation event the backend's own type, before the backend sees them. Everything else passes through.
/// </summary>
public sealed class SubOrchestrationTagsService(IOrchestrationService inner) : DelegatingOrchestrationService(inner)
{
    public override Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        if (newOrchestrationRuntimeState is not null)
        {
            Replace(newOrchestrationRuntimeState.NewEvents);
            Replace(newOrchestrationRuntimeState.Events);
        }

        foreach (var message in orchestratorMessages ?? [])
        {
            if (message.Event is ExecutionStartedEvent started)
            {
                started.Tags = Plain(started.Tags);
            }
        }

        return Inner.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);
    }

    /// <summary>The sidecar's sub-orchestration creation events in <paramref name="events"/>, replaced by the backend's own type.</summary>
    private static void Replace(IList<HistoryEvent> events)
    {
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i] is SubOrchestrationInstanceCreatedEvent created && created.GetType() != typeof(SubOrchestrationInstanceCreatedEvent))
            {
                events[i] = new SubOrchestrationInstanceCreatedEvent(created.EventId)
                {
                    Name = created.Name,
                    Version = created.Version,
                    InstanceId = created.InstanceId,
                    Input = created.Input,
                    Timestamp = created.Timestamp,
                    IsPlayed = created.IsPlayed,
                };
            }
        }
    }

    /// <summary>The tags as a dictionary the backend can read back; null when there are none.</summary>
    internal static IDictionary<string, string>? Plain(IDictionary<string, string>? tags) =>
        tags switch
        {
            null or { Count: 0 } => null,
            Dictionary<string, string> plain => plain,
            _ => new Dictionary<string, string>(tags, StringComparer.Ordinal),
        };
}
