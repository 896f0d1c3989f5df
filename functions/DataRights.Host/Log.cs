namespace DataRights.Host;

/// <summary>
/// Every log line of the host. Event ids: 1-99 hosting, 100-199 storage, 1000-1099 intake,
/// 1100-1199 status, 2000-2099 staff (2050-2059 approver sign-in), 5000-5099 retention, 6000-6099 sources. Request ids, references, counts and field names only:
/// never an email address, a name or any other personal data.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "DataRights is running. Request form: {FormUrl}  API: {ApiUrl}  OpenAPI: {OpenApiUrl}  Health: {HealthUrl}")]
    public static partial void Listening(this ILogger logger, string formUrl, string apiUrl, string openApiUrl, string healthUrl);

    [LoggerMessage(3, LogLevel.Information, "Emails are not sent: they are kept in the local outbox. Read them and open their links at {MailUrl}")]
    public static partial void LocalMail(this ILogger logger, string mailUrl);

    [LoggerMessage(2, LogLevel.Information, "Data folder: {DataDirectory}")]
    public static partial void DataFolder(this ILogger logger, string dataDirectory);

    [LoggerMessage(101, LogLevel.Information, "Request store ready on Azure Table storage at {Endpoint} (tables {Tables})")]
    public static partial void TableStoreReady(this ILogger logger, string endpoint, string tables);

    [LoggerMessage(102, LogLevel.Information, "Export store ready on Azure Blob storage at {Endpoint} (container {Container})")]
    public static partial void BlobExportStoreReady(this ILogger logger, string endpoint, string container);

    [LoggerMessage(1000, LogLevel.Information, "Request {RequestId} ({Reference}) accepted: {RequestType} via {Channel}, due {DueOn}")]
    public static partial void RequestAccepted(this ILogger logger, string requestId, string reference, string requestType, string channel, string dueOn);

    [LoggerMessage(1001, LogLevel.Information, "Repeated submission matched request {RequestId} ({Reference}); nothing new stored")]
    public static partial void DuplicateSubmission(this ILogger logger, string requestId, string reference);

    [LoggerMessage(1002, LogLevel.Information, "Submission refused: {ErrorCount} invalid field(s): {Fields}")]
    public static partial void SubmissionInvalid(this ILogger logger, int errorCount, string fields);

    [LoggerMessage(1003, LogLevel.Warning, "Rate limit per {LimitKind}: {Refused} submission(s) refused within {WindowSeconds} s")]
    public static partial void RateLimitRefusals(this ILogger logger, string limitKind, int refused, int windowSeconds);

    [LoggerMessage(1004, LogLevel.Warning, "Form post refused: missing or invalid anti-forgery token")]
    public static partial void CsrfRefused(this ILogger logger);

    [LoggerMessage(2000, LogLevel.Information, "Staff read the audit trail of request {RequestId}: {EntryCount} entries, chain valid: {Valid}")]
    public static partial void AuditTrailRead(this ILogger logger, string requestId, int entryCount, bool valid);

    [LoggerMessage(3000, LogLevel.Information, "Request {RequestId}: {Event} moved it from {From} to {To}; {WorkItems} work item(s) queued")]
    public static partial void EventApplied(this ILogger logger, string requestId, string @event, string from, string to, int workItems);

    [LoggerMessage(3001, LogLevel.Debug, "Request {RequestId}: {Event} {Outcome}")]
    public static partial void EventNotApplied(this ILogger logger, string requestId, string @event, string outcome);

    [LoggerMessage(3002, LogLevel.Debug, "Request {RequestId}: version conflict on attempt {Attempt}; deciding again")]
    public static partial void VersionConflict(this ILogger logger, string requestId, int attempt);

    [LoggerMessage(3003, LogLevel.Warning, "Request {RequestId}: {Count} events could not be committed together ({Error}); applying each alone")]
    public static partial void EventsAppliedAlone(this ILogger logger, string requestId, int count, string error);

    [LoggerMessage(4010, LogLevel.Error, "Message {MessageId} was sent but neither its record nor its copy for staff could be written ({ErrorType}); the copy is given up rather than the message sent again")]
    public static partial void EmailCopyNotKept(this ILogger logger, string messageId, string errorType);

    [LoggerMessage(3004, LogLevel.Warning, "Request {RequestId}: the commit of version {Version} failed ({Error}) but had landed; it stands")]
    public static partial void CommitLandedDespiteError(this ILogger logger, string requestId, long version, string error);

    [LoggerMessage(3100, LogLevel.Debug, "Work item {WorkItemId} ({Kind}) done on attempt {Attempt}")]
    public static partial void WorkDone(this ILogger logger, string workItemId, string kind, int attempt);

    [LoggerMessage(3102, LogLevel.Error, "Work item {WorkItemId} ({Kind}) dead-lettered after {Attempt} attempts ({ErrorType}); staff alerted")]
    public static partial void WorkDeadLettered(this ILogger logger, string workItemId, string kind, int attempt, string errorType);

    [LoggerMessage(3200, LogLevel.Information, "Request {RequestId}: {MessageKind} message handed to the mail adapter (already sent before: {AlreadySent})")]
    public static partial void MessageSent(this ILogger logger, string requestId, string messageKind, bool alreadySent);

    [LoggerMessage(4100, LogLevel.Information, "Scheduled job {Job} ran for {ScheduledFor}")]
    public static partial void JobRan(this ILogger logger, string job, DateTimeOffset scheduledFor);

    [LoggerMessage(4101, LogLevel.Error, "A scheduled job failed ({ErrorType}); it will be tried again")]
    public static partial void JobFailed(this ILogger logger, string errorType);

    [LoggerMessage(5000, LogLevel.Information, "Purge run {RunId} of {Region} started (dry run: {DryRun})")]
    public static partial void PurgeStarted(this ILogger logger, string runId, string region, bool dryRun);

    [LoggerMessage(5001, LogLevel.Information, "Purge run {RunId} of {Region} {Status}: {Purged} record(s) purged, {FailedLines} line(s) failed")]
    public static partial void PurgeFinished(this ILogger logger, string runId, string region, string status, long purged, int failedLines);

    [LoggerMessage(5009, LogLevel.Information, "Dry purge run {RunId} of {Region} {Status}: {Purged} record(s) would be purged, {FailedLines} line(s) failed")]
    public static partial void DryPurgeFinished(this ILogger logger, string runId, string region, string status, long purged, int failedLines);

    [LoggerMessage(5010, LogLevel.Warning, "Purge run {RunId}: {SourceKey} / {Category}: saving its progress failed ({ErrorType}); the purge goes on, and the next save carries the counts")]
    public static partial void PurgeProgressNotSaved(this ILogger logger, string runId, string sourceKey, string category, string errorType);

    [LoggerMessage(5011, LogLevel.Warning, "Purge run {RunId}: {SourceKey} / {Category}: the source said more is due but deleted nothing in a step; the category is ended here")]
    public static partial void PurgeStepMadeNoProgress(this ILogger logger, string runId, string sourceKey, string category);

    [LoggerMessage(5012, LogLevel.Warning, "Purge run {RunId}: {SourceKey} / {Category}: the line's counts could not be saved on try {Try} ({ErrorType}); tried again, as a step run again could no longer count what it deleted")]
    public static partial void PurgeLineSaveRetried(this ILogger logger, string runId, string sourceKey, string category, int @try, string errorType);

    [LoggerMessage(5003, LogLevel.Warning, "Purge run {RunId}: {SourceKey} / {Category} failed with {ErrorType}; the others go on")]
    public static partial void PurgeCategoryFailed(this ILogger logger, string runId, string sourceKey, string category, string errorType);

    [LoggerMessage(5004, LogLevel.Information, "Request {RequestId}: follow-up erasure at {SourceKey} ({Category}) scheduled for {DueOn}")]
    public static partial void FollowUpScheduled(this ILogger logger, string requestId, string sourceKey, string category, string dueOn);

    [LoggerMessage(5005, LogLevel.Information, "Request {RequestId}: follow-up erasure at {SourceKey} ({Category}) carried out, {Erased} record(s) erased")]
    public static partial void FollowUpCarriedOut(this ILogger logger, string requestId, string sourceKey, string category, int erased);

    [LoggerMessage(5006, LogLevel.Warning, "Request {RequestId}: follow-up erasure at {SourceKey} failed with {ErrorType}; tried again at the next run")]
    public static partial void FollowUpFailed(this ILogger logger, string requestId, string sourceKey, string errorType);

    [LoggerMessage(5007, LogLevel.Information, "Retention policy of {Region} saved: {Rules} rule(s)")]
    public static partial void RetentionPolicySaved(this ILogger logger, string region, int rules);

    [LoggerMessage(5008, LogLevel.Warning, "Sources in region {Region} are never purged: no purge timer for that region")]
    public static partial void RegionWithoutPurgeTimer(this ILogger logger, string region);

    [LoggerMessage(6050, LogLevel.Information, "Command {CommandId} ({Kind}) for source {SourceKey} sent to its agent's queue")]
    public static partial void AgentCommandSent(this ILogger logger, string sourceKey, string kind, string commandId);

    [LoggerMessage(6000, LogLevel.Warning, "Connection test of source {SourceKey} failed: {Error} ({Code})")]
    public static partial void SourceTestFailed(this ILogger logger, string sourceKey, string error, string code);

    [LoggerMessage(2050, LogLevel.Information, "An approver signed in with their work account ({Roles} app role(s))")]
    public static partial void ApproverSignedIn(this ILogger logger, int roles);

    [LoggerMessage(2054, LogLevel.Warning, "A link signed under key {KeyId} was refused: no such key is configured (DataRights:LinkKeys). A key retired while its links were still valid breaks them.")]
    public static partial void LinkKeyUnknown(this ILogger logger, string keyId);

    [LoggerMessage(2055, LogLevel.Warning, "A link signed under key {KeyId} was refused: its signature does not match. Either the link was changed, or key {KeyId} now holds other bytes than when it was signed (add a new key id to rotate; never replace a key's value).")]
    public static partial void LinkSignatureRefused(this ILogger logger, string keyId);

    [LoggerMessage(2051, LogLevel.Warning, "An approver sign-in was refused: {Reason}")]
    public static partial void SignInRefused(this ILogger logger, string reason);

    [LoggerMessage(2052, LogLevel.Warning, "Approver sign-in is unavailable: the Entra ID sign-in service could not be used ({ErrorType})")]
    public static partial void SignInUnavailable(this ILogger logger, string errorType);

    [LoggerMessage(2053, LogLevel.Information, "An approver signed out")]
    public static partial void ApproverSignedOut(this ILogger logger);
}
