using System.Net;
using Microsoft.Extensions.Logging;

namespace DataRights.Email.SendGrid;

/// <summary>
/// Every log line of the SendGrid adapter. Event ids 4000-4099 (email delivery). Message ids, request ids, status
/// codes and attempt numbers only: never the recipient, the subject, a body, SendGrid's error texts or the API key.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(4000, LogLevel.Information, "Message {MessageId} of request {RequestId} was sent before (provider id {ProviderMessageId}); not sending again")]
    public static partial void AlreadySent(this ILogger logger, string messageId, string requestId, string? providerMessageId);

    [LoggerMessage(4001, LogLevel.Information, "Message {MessageId} of request {RequestId} accepted by SendGrid with {StatusCode} on attempt {Attempt} (provider id {ProviderMessageId})")]
    public static partial void Accepted(this ILogger logger, string messageId, string requestId, int statusCode, int attempt, string? providerMessageId);

    [LoggerMessage(4002, LogLevel.Warning, "Message {MessageId} of request {RequestId}: SendGrid answered {StatusCode} on attempt {Attempt} of {MaxAttempts}; retrying in {DelayMilliseconds} ms")]
    public static partial void RetryingAfterStatus(this ILogger logger, string messageId, string requestId, int statusCode, int attempt, int maxAttempts, long delayMilliseconds);

    [LoggerMessage(4003, LogLevel.Warning, "Message {MessageId} of request {RequestId}: no response from SendGrid on attempt {Attempt} of {MaxAttempts} ({ErrorType}); retrying in {DelayMilliseconds} ms")]
    public static partial void RetryingAfterNoResponse(this ILogger logger, string messageId, string requestId, int attempt, int maxAttempts, string errorType, long delayMilliseconds);

    [LoggerMessage(4004, LogLevel.Error, "Message {MessageId} of request {RequestId} not sent after {Attempts} attempt(s); last status {StatusCode}; the work queue will retry")]
    public static partial void GaveUp(this ILogger logger, string messageId, string requestId, int attempts, int statusCode);

    [LoggerMessage(4005, LogLevel.Error, "Message {MessageId} of request {RequestId} refused by SendGrid with {StatusCode} ({ErrorCount} error(s)) on attempt {Attempt}")]
    public static partial void Refused(this ILogger logger, string messageId, string requestId, int statusCode, int errorCount, int attempt);

    [LoggerMessage(4007, LogLevel.Error, "SendGrid refused the account ({StatusCode}, {ErrorCount} error(s)) for message {MessageId} of request {RequestId}: check the API key, its permissions and the account's credits; the message is tried again later")]
    public static partial void AccountRefused(this ILogger logger, string messageId, string requestId, int statusCode, int errorCount);

    [LoggerMessage(4006, LogLevel.Error, "Message {MessageId} of request {RequestId} was sent (provider id {ProviderMessageId}) but could not be recorded ({ErrorType}); a replay may send it again")]
    public static partial void RecordFailed(this ILogger logger, string messageId, string requestId, string? providerMessageId, string errorType);

    [LoggerMessage(4008, LogLevel.Warning, "Message {MessageId} of request {RequestId} was sent but its record could not be written on try {Attempt} ({ErrorType}); trying again")]
    public static partial void RecordRetrying(this ILogger logger, string messageId, string requestId, int attempt, string errorType);

    [LoggerMessage(4009, LogLevel.Information, "Message {MessageId} of request {RequestId} is being sent by another run (held until {HeldUntil:O}); not sending it now")]
    public static partial void SendInProgress(this ILogger logger, string messageId, string requestId, DateTimeOffset heldUntil);

    [LoggerMessage(4012, LogLevel.Warning, "Message {MessageId} of request {RequestId}: this run's hold on it ran out and another run took it over; stopping here")]
    public static partial void ClaimLost(this ILogger logger, string messageId, string requestId);

    [LoggerMessage(4013, LogLevel.Warning, "Message {MessageId} was not sent and its hold could not be let go ({ErrorType}); the next send waits until the hold runs out")]
    public static partial void ReleaseFailed(this ILogger logger, string messageId, string errorType);

    public static int Code(HttpStatusCode? status) => status is { } s ? (int)s : 0;
}
