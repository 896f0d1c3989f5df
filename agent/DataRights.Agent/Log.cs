namespace DataRights.Agent;

/// <summary>Every log line of the agent (event ids 8000-8099): command ids, kinds, source keys and error types, never personal data.</summary>
internal static partial class Log
{
    [LoggerMessage(8000, LogLevel.Information, "Agent {Agent} receiving commands from queue {Queue}")]
    public static partial void Receiving(this ILogger logger, string agent, string queue);

    [LoggerMessage(8001, LogLevel.Warning, "Queue {Queue} cannot be reached for now ({Reason}); asking again shortly")]
    public static partial void QueueUnreachable(this ILogger logger, string queue, string reason);

    [LoggerMessage(8002, LogLevel.Warning, "Message {MessageId} could not be settled ({Reason}); it comes back when its lock ends")]
    public static partial void NotSettled(this ILogger logger, string messageId, string reason);

    [LoggerMessage(8010, LogLevel.Information, "Command {CommandId} ({Kind}) for source {SourceKey} answered: {Result}")]
    public static partial void CommandAnswered(this ILogger logger, string commandId, string kind, string sourceKey, string result);

    [LoggerMessage(8011, LogLevel.Information, "Command {CommandId} was answered before: the same answer is sent again, nothing runs twice")]
    public static partial void AnsweredBefore(this ILogger logger, string commandId);

    [LoggerMessage(8012, LogLevel.Warning, "Command {CommandId} for source {SourceKey} failed ({ErrorType})")]
    public static partial void CommandFailed(this ILogger logger, string commandId, string sourceKey, string errorType);

    [LoggerMessage(8013, LogLevel.Warning, "The answer to command {CommandId} could not be delivered (delivery {DeliveryCount}); the command comes back later")]
    public static partial void AnswerNotDelivered(this ILogger logger, string commandId, int deliveryCount);

    [LoggerMessage(8014, LogLevel.Warning, "Message {MessageId} is not a command sealed with this agent's secret; dead-lettered")]
    public static partial void NotACommand(this ILogger logger, string messageId);

    [LoggerMessage(8015, LogLevel.Information, "Command {CommandId} arrived after the pipeline stopped waiting for it; dropped unanswered")]
    public static partial void CommandExpired(this ILogger logger, string commandId);

    [LoggerMessage(8016, LogLevel.Warning, "Command {CommandId} for source {SourceKey} deleted nothing: the pipeline said {Answer} (Refused: the step closed or a legal hold now covers the system; held: a legal hold now covers the person; TryAgain: it could not say, the command comes back later)")]
    public static partial void ErasureNotCarriedOut(this ILogger logger, string commandId, string sourceKey, string answer);
}
