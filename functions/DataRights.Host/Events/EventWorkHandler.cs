using DataRights.Core.Events;
using DataRights.Core.Ports;
using DataRights.Core.Workflow;
using DataRights.Host.Workflow;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Events;

/// <summary>
/// Publishes one change of a request, from the facts its decision recorded in the work item (so a late or repeated
/// run publishes what was true then, byte for byte). The work item's id is the event's id and message id: a repeated
/// run is a duplicate the topic drops. A failed send throws, so the step is tried again; it is never skipped.
/// </summary>
public sealed class EventWorkHandler(IEventPublisher publisher, IOptions<EventsOptions> options, ILogger<EventWorkHandler> logger) : IWorkHandler
{
    public string Kind => WorkItem.Event;

    public async Task HandleAsync(WorkAttempt item, bool isLastAttempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var data = WorkflowJson.Deserialize<RequestEventData>(item.Item.Payload);
        var e = CloudEvents.ForRequest(item.Item.Id, data, options.Value.Source);
        await publisher.PublishAsync(e, cancellationToken);
        logger.EventPublished(e.Id, e.Type);
    }
}
