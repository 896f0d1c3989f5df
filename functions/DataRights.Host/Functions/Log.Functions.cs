namespace DataRights.Host;

/// <summary>Log lines of the Service Bus relay and the Functions invocations (event ids 3300-3399); ids and counts only.</summary>
internal static partial class Log
{
    [LoggerMessage(3300, LogLevel.Information, "Relayed {Count} work item(s) to Service Bus")]
    public static partial void Relayed(this ILogger logger, int count);

    [LoggerMessage(3301, LogLevel.Warning, "Service Bus refused a send ({StatusCode}, transient: {Transient}); {Count} work item(s) kept for the next sweep")]
    public static partial void RelayHeld(this ILogger logger, int count, int statusCode, bool transient);

    [LoggerMessage(3302, LogLevel.Error, "The Service Bus relay failed ({ErrorType}); it will try again")]
    public static partial void RelayFailed(this ILogger logger, string errorType);

    [LoggerMessage(3310, LogLevel.Information, "Function {Function} invoked: {Outcome}")]
    public static partial void FunctionInvoked(this ILogger logger, string function, string outcome);

    [LoggerMessage(3311, LogLevel.Warning, "Function {Function} invocation refused: {Reason}")]
    public static partial void FunctionRefused(this ILogger logger, string function, string reason);

    [LoggerMessage(3312, LogLevel.Information, "Delivery of work item {WorkItemId} (delivery {DeliveryCount}): {Outcome}")]
    public static partial void WorkDelivered(this ILogger logger, string workItemId, string deliveryCount, string outcome);
}
