using DataRights.Email.SendGrid.SentLog;
using DataRights.Storage.AzureTables;

namespace DataRights.Host.Email;

/// <summary>
/// The sent-message log on Table storage (<c>DataRights:Storage:Provider</c> <c>azure-tables</c>): shared by every
/// instance, unlike a file in one instance's data folder, so an email step retried on another instance is not sent again.
/// </summary>
internal sealed class TableSentMessageLog(AzureTableStore store) : ISentMessageLog
{
    public Task<string?> FindAsync(string messageId) => store.FindSentMessageAsync(messageId, CancellationToken.None);

    public Task RecordAsync(string messageId, string? providerId) => store.RecordSentMessageAsync(messageId, providerId, CancellationToken.None);
}
