namespace DataRights.Host;

/// <summary>
/// Every log line of the host. Event ids: 1-99 hosting, 100-199 storage, 1000-1099 intake,
/// 1100-1199 status, 2000-2099 staff. Request ids, references, counts and field names only:
/// never an email address, a name or any other personal data.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "DataRights is running. Request form: {FormUrl}  API: {ApiUrl}  OpenAPI: {OpenApiUrl}  Health: {HealthUrl}")]
    public static partial void Listening(this ILogger logger, string formUrl, string apiUrl, string openApiUrl, string healthUrl);

    [LoggerMessage(2, LogLevel.Information, "Data folder: {DataDirectory}")]
    public static partial void DataFolder(this ILogger logger, string dataDirectory);

    [LoggerMessage(100, LogLevel.Information, "Request store ready at schema version {SchemaVersion} ({DatabasePath})")]
    public static partial void StoreReady(this ILogger logger, int schemaVersion, string databasePath);

    [LoggerMessage(101, LogLevel.Information, "Created a new status-link signing key in the data folder")]
    public static partial void StatusKeyCreated(this ILogger logger);

    [LoggerMessage(1000, LogLevel.Information, "Request {RequestId} ({Reference}) accepted: {RequestType} via {Channel}, due {DueOn}")]
    public static partial void RequestAccepted(this ILogger logger, string requestId, string reference, string requestType, string channel, string dueOn);

    [LoggerMessage(1001, LogLevel.Information, "Repeated submission matched request {RequestId} ({Reference}); nothing new stored")]
    public static partial void DuplicateSubmission(this ILogger logger, string requestId, string reference);

    [LoggerMessage(1002, LogLevel.Information, "Submission refused: {ErrorCount} invalid field(s): {Fields}")]
    public static partial void SubmissionInvalid(this ILogger logger, int errorCount, string fields);

    [LoggerMessage(1003, LogLevel.Warning, "Submission refused: rate limit per {LimitKind} reached")]
    public static partial void SubmissionRateLimited(this ILogger logger, string limitKind);

    [LoggerMessage(1004, LogLevel.Warning, "Form post refused: missing or invalid anti-forgery token")]
    public static partial void CsrfRefused(this ILogger logger);

    [LoggerMessage(2000, LogLevel.Information, "Staff read the audit trail of request {RequestId}: {EntryCount} entries, chain valid: {Valid}")]
    public static partial void AuditTrailRead(this ILogger logger, string requestId, int entryCount, bool valid);
}
