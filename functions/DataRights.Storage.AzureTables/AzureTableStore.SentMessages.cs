using DataRights.Core.Audit;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// The e-mail adapter's sent-message log, in the same account as everything else: one row per message id, so every
/// instance knows what any instance sent or is sending, and a retried step never sends a second email to a person. A
/// row is a claim (<c>HeldUntil</c>: a send under way) until it is recorded sent (<c>SentAt</c>); one claim wins an
/// insert, a claim whose hold ran out is taken over on its ETag, and only the holder (its ETag) extends or lets it go.
/// </summary>
public sealed partial class AzureTableStore
{
    private const string SentMessagePartition = "sentmail";

    /// <summary>How many times a claim, or a record, is tried when other runs change the row between its read and its write.</summary>
    private const int SentMessageTries = 4;

    /// <summary>Null when <paramref name="messageId"/> was never recorded sent; otherwise the provider's id, or empty when it gave none.</summary>
    public async Task<string?> FindSentMessageAsync(string messageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        var row = await Client.GetAsync(LookupsTable, SentMessagePartition, TableKeys.Escape(messageId), cancellationToken);
        return row is not null && IsSent(row) ? row.GetText("ProviderId") ?? string.Empty : null;
    }

    /// <summary>
    /// Claims <paramref name="messageId"/> until <paramref name="until"/>: claimed, with its ETag, when this run holds it
    /// now; otherwise sent before, or held by another run until when.
    /// </summary>
    public async Task<SentMessageClaim> ClaimSentMessageAsync(string messageId, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        var key = TableKeys.Escape(messageId);
        for (var tries = 1; tries <= SentMessageTries; tries++)
        {
            var claim = ClaimRow(key, until);
            var inserted = await Client.ExecuteAsync(LookupsTable, TableOperation.Insert(claim), cancellationToken, 409);
            if (inserted.Succeeded)
            {
                return new SentMessageClaim(true, inserted.ETag, Sent: false, null, until);
            }

            var row = await Client.GetAsync(LookupsTable, SentMessagePartition, key, cancellationToken);
            if (row is null)
            {
                // Let go of meanwhile.
                continue;
            }

            if (IsSent(row))
            {
                return new SentMessageClaim(false, null, Sent: true, row.GetText("ProviderId") ?? string.Empty, HeldUntil(row));
            }

            if (HeldUntil(row) > now)
            {
                return new SentMessageClaim(false, null, Sent: false, null, HeldUntil(row));
            }

            // Its run died, or stalled past its hold: taken over on the row as read, so only one run wins it.
            var taken = await Client.ExecuteAsync(LookupsTable, TableOperation.Replace(claim, row.ETag!), cancellationToken, 404, 412);
            if (taken.Succeeded)
            {
                return new SentMessageClaim(true, taken.ETag, Sent: false, null, until);
            }
        }

        throw new TableStorageException($"Claiming message {messageId} for a send: other runs changed its row through {SentMessageTries} tries; try again later.");
    }

    /// <summary>Holds the claim <paramref name="etag"/> until <paramref name="until"/>; its new ETag, or null when it is no longer that claim.</summary>
    public async Task<string?> ExtendSentMessageClaimAsync(string messageId, string etag, DateTimeOffset until, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(etag);
        var extended = await Client.ExecuteAsync(LookupsTable, TableOperation.Replace(ClaimRow(TableKeys.Escape(messageId), until), etag), cancellationToken, 404, 412);
        return extended.Succeeded ? extended.ETag : null;
    }

    /// <summary>
    /// Records a send, ending the claim <paramref name="etag"/> (or, when it is no longer that claim, whatever claim is
    /// on the row: the message went); a message id recorded sent before keeps its first record.
    /// </summary>
    public async Task RecordSentMessageAsync(string messageId, string? etag, string? providerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        var key = TableKeys.Escape(messageId);
        var sent = new TableEntity(SentMessagePartition, key) { Description = "sent message" }
            .SetText("ProviderId", providerId)
            .Set("SentAt", Time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        for (var tries = 1; tries <= SentMessageTries; tries++)
        {
            WriteResult written;
            if (etag is null)
            {
                written = await Client.ExecuteAsync(LookupsTable, TableOperation.Insert(sent), cancellationToken, 409);
            }
            else
            {
                written = await Client.ExecuteAsync(LookupsTable, TableOperation.Replace(sent, etag), cancellationToken, 404, 412);
            }

            if (written.Succeeded)
            {
                return;
            }

            var row = await Client.GetAsync(LookupsTable, SentMessagePartition, key, cancellationToken);
            if (row is not null && IsSent(row))
            {
                return;
            }

            etag = row?.ETag;
        }

        throw new TableStorageException($"Recording message {messageId} sent: other runs changed its row through {SentMessageTries} tries.");
    }

    /// <summary>Lets the claim <paramref name="etag"/> go; a row that is no longer that claim is left as it is.</summary>
    public async Task ReleaseSentMessageClaimAsync(string messageId, string etag, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(etag);
        await Client.ExecuteAsync(LookupsTable, TableOperation.Delete(SentMessagePartition, TableKeys.Escape(messageId), etag), cancellationToken, 404, 412);
    }

    // When the claim on a row ends (the minimum for a row that holds none).
    private static DateTimeOffset HeldUntil(TableEntity row) =>
        row.GetStringOrNull("HeldUntil") is { Length: > 0 } until ? AuditChain.ParseInstant(until) : DateTimeOffset.MinValue;

    // Whether a row records a send (rather than a claim).
    private static bool IsSent(TableEntity row) => row.GetStringOrNull("SentAt") is { Length: > 0 };

    private static TableEntity ClaimRow(string key, DateTimeOffset until) =>
        new TableEntity(SentMessagePartition, key) { Description = "message being sent" }.Set("HeldUntil", AuditChain.FormatInstant(until));
}
