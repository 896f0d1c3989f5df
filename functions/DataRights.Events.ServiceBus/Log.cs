using Microsoft.Extensions.Logging;

namespace DataRights.Events.ServiceBus;

/// <summary>The adapter's log lines (event ids 7100-7199): event and command ids and types, never bodies.</summary>
internal static partial class Log
{
    [LoggerMessage(7100, LogLevel.Debug, "Event {EventId} ({EventType}) sent to Service Bus topic {Topic}")]
    public static partial void EventSent(this ILogger logger, string eventId, string eventType, string topic);

    [LoggerMessage(7110, LogLevel.Debug, "Agent command {CommandId} ({Kind}) sent to Service Bus queue {Queue}")]
    public static partial void AgentCommandQueued(this ILogger logger, string commandId, string kind, string queue);
}
