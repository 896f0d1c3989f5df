using Microsoft.Extensions.Logging;

namespace DataRights.Events.ServiceBus;

/// <summary>The adapter's log lines (event ids 7100-7199): event ids and types, never event bodies.</summary>
internal static partial class Log
{
    [LoggerMessage(7100, LogLevel.Debug, "Event {EventId} ({EventType}) sent to Service Bus topic {Topic}")]
    public static partial void EventSent(this ILogger logger, string eventId, string eventType, string topic);
}
