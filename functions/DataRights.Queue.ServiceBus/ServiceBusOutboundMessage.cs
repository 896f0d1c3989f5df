namespace DataRights.Queue.ServiceBus;

/// <summary>
/// One message for the queue. <see cref="MessageId"/> is what Service Bus's duplicate detection keys on; a
/// <see cref="ScheduledEnqueueTime"/> in the future keeps the message invisible until then.
/// </summary>
public sealed record ServiceBusOutboundMessage(
    string MessageId,
    ReadOnlyMemory<byte> Body,
    string ContentType = "application/json",
    DateTimeOffset? ScheduledEnqueueTime = null,
    string? Label = null);
