using DataRights.Core.Audit;
using DataRights.Core.Email;
using DataRights.Core.Ports;
using DataRights.Core.Workflow;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// Copies of the emails sent about a request, as rows in the request's own partition of the requests table
/// (<c>mail_</c> and the message id), so they live and go with the request's record. A message kept twice keeps
/// its first copy: the insert of the second is refused with 409 and ignored.
/// </summary>
public sealed class AzureTableSentEmailCopies(AzureTableStore store) : ISentEmailCopies
{
    private const string MailPrefix = "mail_";

    public async Task<bool> KeepAsync(SentEmailCopy copy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(copy);
        var row = new TableEntity(TableRows.RequestPartition(copy.RequestId), Key(copy.MessageId)) { Description = $"email copy of request {copy.RequestId}" }
            .Set("MessageId", copy.MessageId)
            .Set("SentAt", AuditChain.FormatInstant(copy.SentAt))
            .Set("Audience", Kebab.Of(copy.Audience))
            .SetText("To", copy.To)
            .SetText("Subject", copy.Subject)
            .SetText("Body", copy.Body);
        var result = await store.Client.ExecuteAsync(store.RequestsTable, TableOperation.Insert(row), cancellationToken, 409);
        return !result.Conflict;
    }

    public async Task<IReadOnlyList<SentEmailCopy>> ListAsync(string requestId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        var rows = await store.Client.QueryAsync(
            store.RequestsTable, $"{TableKeys.Partition(TableRows.RequestPartition(requestId))} and {TableKeys.RowKeyPrefix(MailPrefix)}", null, cancellationToken);
        return [.. rows.Select(r => Read(requestId, r)).OrderBy(c => c.SentAt).ThenBy(c => c.MessageId, StringComparer.Ordinal)];
    }

    public async Task<SentEmailCopy?> FindAsync(string requestId, string messageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        return await store.Client.GetAsync(store.RequestsTable, TableRows.RequestPartition(requestId), Key(messageId), cancellationToken) is { } row
            ? Read(requestId, row)
            : null;
    }

    private static string Key(string messageId) => MailPrefix + TableKeys.Escape(messageId);

    private static SentEmailCopy Read(string requestId, TableEntity row) => new(
        requestId,
        row.GetString("MessageId"),
        AuditChain.ParseInstant(row.GetString("SentAt")),
        Kebab.TryParse<EmailAudience>(row.GetString("Audience"), out var audience) ? audience : throw new InvalidOperationException($"An email copy of request {requestId} names an audience this version does not know."),
        row.GetText("To") ?? string.Empty,
        row.GetText("Subject") ?? string.Empty,
        row.GetText("Body") ?? string.Empty);
}
