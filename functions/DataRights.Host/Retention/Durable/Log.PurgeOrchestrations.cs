namespace DataRights.Host;

/// <summary>Log lines of the purge orchestrations (event ids 5100-5149): instance ids and regions only.</summary>
internal static partial class Log
{
    [LoggerMessage(5100, LogLevel.Information, "Purge orchestration {InstanceId} of {Region} started")]
    public static partial void PurgeOrchestrationStarted(this ILogger logger, string instanceId, string region);

    [LoggerMessage(5101, LogLevel.Information, "Purge orchestration {InstanceId} exists already; not started again")]
    public static partial void PurgeOrchestrationExists(this ILogger logger, string instanceId);

    [LoggerMessage(5102, LogLevel.Warning, "Purge orchestration {InstanceId} failed; its run is started again as {ResumeInstanceId} (time {Resume} of {MaxResumes})")]
    public static partial void PurgeRunResumed(this ILogger logger, string instanceId, string resumeInstanceId, int resume, int maxResumes);

    [LoggerMessage(5103, LogLevel.Error, "Purge orchestration {InstanceId} failed, and its run failed each of the {MaxResumes} times it was started again; it is not started again (the next night's run purges what is due)")]
    public static partial void PurgeRunGivenUp(this ILogger logger, string instanceId, int maxResumes);
}
