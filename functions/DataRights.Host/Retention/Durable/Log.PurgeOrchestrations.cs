namespace DataRights.Host;

/// <summary>Log lines of the purge orchestrations (event ids 5100-5149): instance ids and regions only.</summary>
internal static partial class Log
{
    [LoggerMessage(5100, LogLevel.Information, "Purge orchestration {InstanceId} of {Region} started")]
    public static partial void PurgeOrchestrationStarted(this ILogger logger, string instanceId, string region);

    [LoggerMessage(5101, LogLevel.Information, "Purge orchestration {InstanceId} exists already; not started again")]
    public static partial void PurgeOrchestrationExists(this ILogger logger, string instanceId);
}
