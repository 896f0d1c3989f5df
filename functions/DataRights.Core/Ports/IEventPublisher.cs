using DataRights.Core.Events;

namespace DataRights.Core.Ports;

/// <summary>
/// Publishes events for the firm's other systems (a Service Bus topic, or a local folder when none is configured).
/// Idempotent on <see cref="OutgoingEvent.Id"/>: publishing the same event again delivers nothing new. Throws when the
/// event could not be handed over, so the step that publishes it is tried again.
/// </summary>
public interface IEventPublisher
{
    Task PublishAsync(OutgoingEvent e, CancellationToken cancellationToken);
}
