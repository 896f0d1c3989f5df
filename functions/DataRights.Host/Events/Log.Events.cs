namespace DataRights.Host;

/// <summary>Events for the firm's other systems (event ids 7000-7099): ids and types only.</summary>
internal static partial class Log
{
    [LoggerMessage(7000, LogLevel.Warning, "Events are not published: no Service Bus configured (DataRights:Events:ServiceBus). Each event is written to {Folder} instead")]
    public static partial void EventsToFolder(this ILogger logger, string folder);

    [LoggerMessage(7001, LogLevel.Information, "Events are published to Service Bus topic {Topic} on {Namespace}")]
    public static partial void EventsToServiceBus(this ILogger logger, string topic, string @namespace);

    [LoggerMessage(7002, LogLevel.Information, "Event {EventId} ({EventType}) published")]
    public static partial void EventPublished(this ILogger logger, string eventId, string eventType);

    [LoggerMessage(7003, LogLevel.Debug, "Event {EventId} was written before; not written again")]
    public static partial void EventAlreadyWritten(this ILogger logger, string eventId);
}
