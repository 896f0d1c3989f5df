namespace DataRights.Email.SendGrid.SentLog;

/// <summary>
/// What has been handed to the provider, by our message id. SendGrid takes no idempotency key, so this log is what
/// keeps one <c>EmailMessage.Id</c> from being sent twice.
/// </summary>
public interface ISentMessageLog
{
    /// <summary>
    /// Null when <paramref name="messageId"/> was never recorded; otherwise the provider's message id,
    /// or an empty string when the provider gave none.
    /// </summary>
    Task<string?> FindAsync(string messageId);

    /// <summary>Records a send. Recording an id again keeps the first record.</summary>
    Task RecordAsync(string messageId, string? providerId);
}
