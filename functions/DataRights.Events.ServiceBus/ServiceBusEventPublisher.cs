using Azure.Messaging.ServiceBus;
using DataRights.Core.Events;
using DataRights.Core.Ports;
using Microsoft.Extensions.Logging;

namespace DataRights.Events.ServiceBus;

/// <summary>
/// Sends each event to the topic as a structured-mode CloudEvent: the message id is the event id, so the topic's
/// duplicate detection drops a second send of the same event (a step repeated after a crash); the subject and the
/// <c>type</c> and <c>source</c> properties carry what subscriptions filter on.
/// </summary>
public sealed class ServiceBusEventPublisher(ServiceBusSender sender, ILogger<ServiceBusEventPublisher> logger) : IEventPublisher
{
    public async Task PublishAsync(OutgoingEvent e, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(e);
        var message = new ServiceBusMessage(BinaryData.FromString(e.Body))
        {
            MessageId = e.Id,
            ContentType = OutgoingEvent.ContentType,
            Subject = e.Type,
        };
        message.ApplicationProperties["type"] = e.Type;
        message.ApplicationProperties["source"] = e.Source;
        await sender.SendMessageAsync(message, cancellationToken);
        logger.EventSent(e.Id, e.Type, sender.EntityPath);
    }
}
