namespace DataRights.Host.Sources;

/// <summary>Every log line of the SQL connectors (event ids 6100-6149): source keys and error classes only, never personal data.</summary>
internal static partial class SqlLog
{
    [LoggerMessage(6100, LogLevel.Warning, "Connection test of source {SourceKey} failed: {Error} ({Code})")]
    public static partial void SqlSourceTestFailed(this ILogger logger, string sourceKey, string error, string code);
}
