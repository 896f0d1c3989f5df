using Microsoft.Extensions.Logging;

namespace DataRights.Queue.ServiceBus;

/// <summary>
/// Every log line of the Service Bus sender. Event ids 4300-4399. Message ids and status codes only: never a message
/// body, a key, a signature or a token.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(4300, LogLevel.Debug, "Message {MessageId} accepted by Service Bus queue {Queue} (scheduled: {Scheduled})")]
    public static partial void Sent(this ILogger logger, string messageId, string queue, bool scheduled);

    [LoggerMessage(4301, LogLevel.Warning, "Message {MessageId} refused by Service Bus queue {Queue} with {StatusCode} (transient: {Transient})")]
    public static partial void Refused(this ILogger logger, string messageId, string queue, int statusCode, bool transient);

    [LoggerMessage(4302, LogLevel.Warning, "Message {MessageId}: no answer from Service Bus queue {Queue} ({ErrorType})")]
    public static partial void NoAnswer(this ILogger logger, string messageId, string queue, string errorType);
}
