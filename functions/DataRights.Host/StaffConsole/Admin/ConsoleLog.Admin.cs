namespace DataRights.Host.StaffConsole;

/// <summary>What the administrator pages log: source keys, hold and run ids, outcomes; never an email address or a reason someone typed.</summary>
internal static partial class ConsoleLog
{
    [LoggerMessage(EventId = 9120, Level = LogLevel.Information, Message = "Staff tested source {SourceKey} from the console: reachable {Reachable} ({Problem})")]
    public static partial void SourceTested(this ILogger logger, string sourceKey, bool reachable, string problem);

    [LoggerMessage(EventId = 9121, Level = LogLevel.Information, Message = "Staff placed legal hold {HoldId} on a {Scope} from the console")]
    public static partial void HoldPlaced(this ILogger logger, string holdId, string scope);

    [LoggerMessage(EventId = 9122, Level = LogLevel.Information, Message = "Staff lifted legal hold {HoldId} from the console")]
    public static partial void HoldLifted(this ILogger logger, string holdId);

    [LoggerMessage(EventId = 9123, Level = LogLevel.Information, Message = "A legal hold form from the console had {Problems} problem(s); nothing was saved")]
    public static partial void HoldRefused(this ILogger logger, int problems);

    [LoggerMessage(EventId = 9124, Level = LogLevel.Information, Message = "Staff checked an address against the marketing suppression list from the console")]
    public static partial void SuppressionChecked(this ILogger logger);

    [LoggerMessage(EventId = 9125, Level = LogLevel.Information, Message = "Staff downloaded the report of purge run {RunId} from the console")]
    public static partial void PurgeReportDownloaded(this ILogger logger, string runId);
}
