using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// The e-mail adapter's sent-message log, in the same account as everything else: one row per message id, so every
/// instance knows what any instance sent and a retried step never sends a second email to a person.
/// </summary>
public sealed partial class AzureTableStore
{
    private const string SentMessagePartition = "sentmail";

    /// <summary>Null when <paramref name="messageId"/> was never recorded; otherwise the provider's id, or empty when it gave none.</summary>
    public async Task<string?> FindSentMessageAsync(string messageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        var row = await Client.GetAsync(LookupsTable, SentMessagePartition, TableKeys.Escape(messageId), cancellationToken);
        return row is null ? null : row.GetText("ProviderId") ?? string.Empty;
    }

    /// <summary>Records a send; a message id recorded before keeps its first record.</summary>
    public async Task RecordSentMessageAsync(string messageId, string? providerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        var row = new TableEntity(SentMessagePartition, TableKeys.Escape(messageId)) { Description = "sent message" }
            .SetText("ProviderId", providerId)
            .Set("SentAt", Time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        await Client.ExecuteAsync(LookupsTable, TableOperation.Insert(row), cancellationToken, 409);
    }
}
