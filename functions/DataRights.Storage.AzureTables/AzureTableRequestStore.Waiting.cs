using DataRights.Core.Audit;
using DataRights.Core.Requests;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// The awaiting-verification index: per address (its row keyed by a hash of it) the requests that may await their
/// owner's confirmation, one property each (request id and time received). An entry is added in the claim's
/// transaction, so a request never exists without it, and again before a commit that brings its request back to
/// awaiting verification; it is removed after the commit that moves its request on, and a
/// reader that finds one left behind (a crash between the two, or a claim whose request was never written) prunes it.
/// The reader always checks the request itself, so a stale entry changes no answer. Looking up an address is a point
/// read instead of a query across the Requests table.
/// </summary>
public sealed partial class AzureTableRequestStore
{
    /// <summary>The statuses a request can await verification in or still reach it from: its entry is kept while it has one.</summary>
    private static bool MayAwaitVerification(RequestStatus status) => status is RequestStatus.Received or RequestStatus.AwaitingVerification;

    public async Task<DataSubjectRequest?> FindAwaitingVerificationAsync(string email, CancellationToken cancellationToken)
    {
        var row = await store.Client.GetAsync(store.LookupsTable, TableRows.LookupPartition, TableRows.Waiting(email), cancellationToken);
        if (row is null)
        {
            return null;
        }

        var entries = WaitingEntries(row);
        var requests = await Task.WhenAll(entries.Select(e => GetAsync(e.RequestId, cancellationToken)));
        var found = requests
            .OfType<DataSubjectRequest>()
            .Where(r => r.Status == RequestStatus.AwaitingVerification && string.Equals(r.Email, email, StringComparison.Ordinal))
            .OrderByDescending(r => r.ReceivedAt)
            .FirstOrDefault();

        // Entries of requests that moved on, and of claims whose request never appeared (long after any writer gave up).
        var abandonedBefore = store.Time.GetUtcNow() - store.AbandonAfter;
        var stale = entries
            .Where((e, i) => requests[i] is { } r ? !MayAwaitVerification(r.Status) : e.ReceivedAt < abandonedBefore)
            .Select(e => e.Property)
            .ToList();
        if (stale.Count > 0)
        {
            await PruneWaitingAsync(row, stale, cancellationToken);
        }

        return found;
    }

    /// <summary>The entry written in the claim's transaction for a new request (merged into its address's row).</summary>
    private static TableOperation WaitingEntriesFor(string email, IEnumerable<NewRequest> requests)
    {
        var row = new TableEntity(TableRows.LookupPartition, TableRows.Waiting(email)) { Description = "awaiting-verification index row" };
        foreach (var request in requests)
        {
            row.Set(TableRows.WaitingEntry(request.Id), AuditChain.FormatInstant(request.ReceivedAt) + " " + request.Id);
        }

        return TableOperation.UpsertMerge(row);
    }

    /// <summary>After a commit that moved the request on: its entry goes (if the row changed meanwhile, a reader prunes it later).</summary>
    /// <summary>
    /// Puts <paramref name="updated"/>'s entry back around the commit that returns it to awaiting verification (the
    /// person asked to confirm their details again), so a repeat submission finds it, as it found it at first. Written
    /// before the commit, so no stop between the two leaves the request out of the index (should the commit not land,
    /// the entry is one a reader prunes: its request moved on), and again after it, in case a reader pruned it between.
    /// </summary>
    private async Task EnterVerificationAsync(TableEntity before, DataSubjectRequest updated, CancellationToken cancellationToken)
    {
        if (updated.Status != RequestStatus.AwaitingVerification || MayAwaitVerification(WireNames.ParseStatus(before.GetString("Status"))))
        {
            return;
        }

        var row = new TableEntity(TableRows.LookupPartition, TableRows.Waiting(updated.Email)) { Description = "awaiting-verification index row" }
            .Set(TableRows.WaitingEntry(updated.Id), AuditChain.FormatInstant(updated.ReceivedAt) + " " + updated.Id);
        await store.Client.ExecuteAsync(store.LookupsTable, TableOperation.UpsertMerge(row), cancellationToken);
    }

    private async Task RemoveWaitingEntryAsync(string email, string requestId, CancellationToken cancellationToken)
    {
        var property = TableRows.WaitingEntry(requestId);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var row = await store.Client.GetAsync(store.LookupsTable, TableRows.LookupPartition, TableRows.Waiting(email), cancellationToken);
            if (row is null || !row.Properties.ContainsKey(property) || await PruneWaitingAsync(row, [property], cancellationToken))
            {
                return;
            }
        }
    }

    /// <summary>Removes <paramref name="properties"/> from the row as read (the whole row when nothing else is left); false when it changed since.</summary>
    private async Task<bool> PruneWaitingAsync(TableEntity row, IReadOnlyCollection<string> properties, CancellationToken cancellationToken)
    {
        var etag = row.ETag ?? "*";
        foreach (var property in properties)
        {
            row.Properties.Remove(property);
        }

        var operation = row.Properties.Keys.Any(k => k.StartsWith(TableRows.WaitingEntryPrefix, StringComparison.Ordinal))
            ? TableOperation.Replace(row, etag)
            : TableOperation.Delete(row.PartitionKey, row.RowKey, etag);
        var result = await store.Client.ExecuteAsync(store.LookupsTable, operation, cancellationToken, 404, 412);
        return result.Status != 412;
    }

    private static List<WaitingEntry> WaitingEntries(TableEntity row) =>
    [
        .. row.Properties
            .Where(p => p.Key.StartsWith(TableRows.WaitingEntryPrefix, StringComparison.Ordinal) && p.Value is string)
            .Select(p => (Property: p.Key, Text: (string)p.Value, Space: ((string)p.Value).IndexOf(' ', StringComparison.Ordinal)))
            .Where(p => p.Space > 0)
            .Select(p => new WaitingEntry(p.Property, p.Text[(p.Space + 1)..], AuditChain.ParseInstant(p.Text[..p.Space]))),
    ];

    /// <summary>
    /// Adds the entries of requests stored before the index existed (those that may still await verification), once per
    /// set of tables: a query across the Requests table, then a marker row so that it never runs again.
    /// </summary>
    internal static async Task BuildWaitingIndexAsync(AzureTableStore store, CancellationToken cancellationToken)
    {
        if (await store.Client.GetAsync(store.LookupsTable, TableRows.LookupPartition, TableRows.WaitingIndexBuilt, cancellationToken) is not null)
        {
            return;
        }

        var filter = $"RowKey eq {TableKeys.Literal(TableRows.Request)} and (Status eq {TableKeys.Literal(RequestStatus.AwaitingVerification.Name())} or Status eq {TableKeys.Literal(RequestStatus.Received.Name())})";
        var rows = await store.Client.QueryAsync(store.RequestsTable, filter, null, cancellationToken, ["Email", "ReceivedAt"]);
        foreach (var address in rows.GroupBy(r => r.GetText("Email") ?? string.Empty, StringComparer.Ordinal))
        {
            var row = new TableEntity(TableRows.LookupPartition, TableRows.Waiting(address.Key)) { Description = "awaiting-verification index row" };
            foreach (var request in address.Take(200))
            {
                var id = TableKeys.Unescape(request.PartitionKey);
                row.Set(TableRows.WaitingEntry(id), request.GetString("ReceivedAt") + " " + id);
            }

            await store.Client.ExecuteAsync(store.LookupsTable, TableOperation.UpsertMerge(row), cancellationToken);
        }

        await store.Client.ExecuteAsync(store.LookupsTable, TableOperation.Upsert(new TableEntity(TableRows.LookupPartition, TableRows.WaitingIndexBuilt)), cancellationToken);
    }

    private sealed record WaitingEntry(string Property, string RequestId, DateTimeOffset ReceivedAt);
}
