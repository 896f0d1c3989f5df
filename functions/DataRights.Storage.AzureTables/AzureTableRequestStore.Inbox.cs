using System.Globalization;
using DataRights.Core.Audit;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// The inbox index: one row per open request in the Inbox table's one partition, keyed by its place in the inbox order
/// (due day, then received ticks, then id), with the fields the inbox filters on as properties (the address only as
/// the store's keyed hash of it), so a page of the inbox is one range query with a filter and a limit.
/// <para>
/// It cannot share a transaction with the request (another table). A new request's row is written with its claim,
/// before the request (as its open-list row is; a reader skips a row whose request is not there yet, and removes it once
/// no writer can still be writing it); a changed request's row is written after its commit (moved when the due date
/// changes), and removed after its final commit. A crash between a commit and its row leaves the row behind the request
/// (an old status or due date) until the request's next commit rewrites it, or a reader that meets it repairs it; so
/// may two commits of one request whose index writes cross on the way (the earlier one's row landing last). Until then
/// a filter on the new status misses the request (the unfiltered inbox and the full list of open requests still show it).
/// Readers therefore read the requests listed and keep only those that still match, and repair the others
/// (<see cref="RepairAsync"/>).
/// Requests stored before the index existed are indexed once, at start (<see cref="BuildInboxIndexAsync"/>).
/// </para>
/// </summary>
public sealed partial class AzureTableRequestStore
{
    /// <summary>The most pages (round trips) one listing reads before it stops and says where it got to.</summary>
    internal const int MaxInboxPages = 4;

    public async Task<InboxIndexPage> ListAsync(InboxFilter filter, OpenRequestCursor? after, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var query = InboxQueryFilter(filter, after);

        // One more than asked, to know whether another page follows.
        var (rows, stoppedAt) = await store.Client.QueryPagesAsync(store.InboxTable, query, max + 1, MaxInboxPages, cancellationToken);
        var entries = rows.Select(ReadInboxRow).ToList();
        if (entries.Count > max)
        {
            return new InboxIndexPage(entries[..max], entries[max - 1].Cursor);
        }

        // Stopped looking before the end of the list: the next page starts where the service got to.
        if (stoppedAt is null)
        {
            return new InboxIndexPage(entries, null);
        }

        var next = CursorOf(stoppedAt) ?? (entries.Count > 0 ? entries[^1].Cursor : null);
        return new InboxIndexPage(entries, next, ScannedOut: next is not null);
    }

    public async Task RepairAsync(InboxIndexEntry entry, DataSubjectRequest? request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var key = InboxKey(entry.DueOn, entry.ReceivedAt, entry.RequestId);
        var etag = entry.Tag ?? "*";
        if (request is null)
        {
            // Written before its request: gone only once no writer can still be writing that request.
            var row = await store.Client.GetAsync(store.InboxTable, TableRows.InboxPartition, key, cancellationToken);
            if (row is not null && AuditChain.ParseInstant(row.GetString("IndexedAt")) < store.Time.GetUtcNow() - store.AbandonAfter)
            {
                await store.Client.ExecuteAsync(store.InboxTable, TableOperation.Delete(TableRows.InboxPartition, key, row.ETag ?? "*"), cancellationToken, 404, 412);
            }

            return;
        }

        if (RequestLifecycle.IsFinal(request.Status) || InboxKey(request) != key)
        {
            await store.Client.ExecuteAsync(store.InboxTable, TableOperation.Delete(TableRows.InboxPartition, key, etag), cancellationToken, 404, 412);
            if (!RequestLifecycle.IsFinal(request.Status))
            {
                // Its row under its present place may be the one missing: write it (the same as a commit would).
                await store.Client.ExecuteAsync(store.InboxTable, TableOperation.Upsert(InboxRow(request)), cancellationToken);
            }

            return;
        }

        await store.Client.ExecuteAsync(store.InboxTable, TableOperation.Replace(InboxRow(request), etag), cancellationToken, 404, 412);
    }

    /// <summary>After a commit: the request's row written under its present place, its row under the old due date removed, or its row removed once final.</summary>
    private Task IndexAfterCommitAsync(DataSubjectRequest updated, DateOnly previousDueOn, CancellationToken cancellationToken)
    {
        var writes = new List<Task>(2)
        {
            RequestLifecycle.IsFinal(updated.Status)
                ? store.Client.ExecuteAsync(store.InboxTable, TableOperation.Delete(TableRows.InboxPartition, InboxKey(updated), "*"), cancellationToken, 404)
                : store.Client.ExecuteAsync(store.InboxTable, TableOperation.Upsert(InboxRow(updated)), cancellationToken),
        };
        if (previousDueOn != updated.Deadline.DueOn)
        {
            writes.Add(store.Client.ExecuteAsync(
                store.InboxTable, TableOperation.Delete(TableRows.InboxPartition, InboxKey(previousDueOn, updated.ReceivedAt, updated.Id), "*"), cancellationToken, 404));
        }

        return Task.WhenAll(writes);
    }

    /// <summary>
    /// The rows of requests claimed together, in one transaction (or as many as they need), before any of them is
    /// written; false when the service refused (each is then written after its request).
    /// </summary>
    private async Task<bool> IndexClaimedAsync(IReadOnlyList<DataSubjectRequest> claimed)
    {
        var rows = claimed.Where(r => !RequestLifecycle.IsFinal(r.Status)).Select(InboxRow).ToList();
        try
        {
            foreach (var chunk in rows.Chunk(TableGateway.MaxBatchOperations))
            {
                var result = await store.Client.SubmitTransactionAsync(store.InboxTable, chunk.Select(TableOperation.Upsert).ToList(), CancellationToken.None);
                if (!result.Succeeded)
                {
                    return false;
                }
            }

            return true;
        }
        catch (TableStorageException)
        {
            // Refused or unreachable: the rows are written after each request instead, where a failure shows.
            return false;
        }
    }

    /// <summary>A new request's row, written once its partition is (a final one, refused at intake, has none).</summary>
    private Task IndexNewAsync(DataSubjectRequest stored, CancellationToken cancellationToken) =>
        RequestLifecycle.IsFinal(stored.Status)
            ? Task.CompletedTask
            : store.Client.ExecuteAsync(store.InboxTable, TableOperation.Upsert(InboxRow(stored)), cancellationToken);

    private string InboxQueryFilter(InboxFilter filter, OpenRequestCursor? after)
    {
        var parts = new List<string> { TableKeys.Partition(TableRows.InboxPartition) };
        if (after is not null)
        {
            parts.Add("RowKey gt " + TableKeys.Literal(InboxKey(after.DueOn, after.ReceivedAt, after.Id)));
        }

        if (filter.DueBefore is { } dueBefore)
        {
            // Due before that day: keys before the day's own.
            parts.Add("RowKey lt " + TableKeys.Literal(DayKey(dueBefore)));
        }

        if (filter.Status is { } status)
        {
            parts.Add("Status eq " + TableKeys.Literal(status.Name()));
        }

        if (filter.AnyOfStatuses is { } statuses)
        {
            parts.Add(statuses.Count == 0 ? "false" : "(" + string.Join(" or ", statuses.Select(s => "Status eq " + TableKeys.Literal(s.Name()))) + ")");
        }

        if (filter.Type is { } type)
        {
            parts.Add("Type eq " + TableKeys.Literal(type.Name()));
        }

        if (filter.Jurisdiction is { } jurisdiction)
        {
            parts.Add("Jurisdiction eq " + TableKeys.Literal(jurisdiction.Name()));
        }

        if (filter.ReferencePrefix is { Length: > 0 } prefix)
        {
            // Upper-case references, of letters, digits and '-': every one that starts with the prefix sorts before prefix + '~'.
            var upper = prefix.ToUpperInvariant();
            parts.Add("ReferenceKey ge " + TableKeys.Literal(upper) + " and ReferenceKey lt " + TableKeys.Literal(upper + "~"));
        }

        if (filter.Email is { } email)
        {
            parts.Add("AddressKey eq " + TableKeys.Literal(AddressKeyOf(email)));
        }

        return string.Join(" and ", parts);
    }

    private string AddressKeyOf(string email) =>
        store.AddressKey?.Invoke(email) ?? throw new InvalidOperationException("Searching the inbox by address needs the store's AddressKey (the keyed hash of an address); none was given.");

    private TableEntity InboxRow(DataSubjectRequest r)
    {
        var row = new TableEntity(TableRows.InboxPartition, InboxKey(r)) { Description = $"inbox index row of request {r.Id}" }
            .Set("RequestId", r.Id)
            .Set("Reference", r.Reference)
            .Set("ReferenceKey", r.Reference.ToUpperInvariant())
            .Set("Status", r.Status.Name())
            .Set("Type", r.Type.Name())
            .Set("Jurisdiction", r.Jurisdiction.Name())
            .Set("DueOn", FormatDate(r.Deadline.DueOn))
            .Set("ReceivedAt", AuditChain.FormatInstant(r.ReceivedAt))
            .Set("Version", r.Version)
            .Set("IndexedAt", AuditChain.FormatInstant(store.Time.GetUtcNow()));
        if (store.AddressKey is { } addressKey)
        {
            row.Set("AddressKey", addressKey(r.Email));
        }

        return row;
    }

    private static InboxIndexEntry ReadInboxRow(TableEntity e) => new(
        e.GetString("RequestId"),
        ParseDate(e.GetString("DueOn")),
        AuditChain.ParseInstant(e.GetString("ReceivedAt")),
        e.GetString("Reference"),
        WireNames.ParseStatus(e.GetString("Status")),
        WireNames.ParseType(e.GetString("Type")),
        WireNames.ParseJurisdiction(e.GetString("Jurisdiction")),
        e.ETag);

    private static string InboxKey(DataSubjectRequest r) => InboxKey(r.Deadline.DueOn, r.ReceivedAt, r.Id);

    /// <summary>The inbox order as text: due day (yyyyMMdd), received (19 digits of UTC ticks), id.</summary>
    internal static string InboxKey(DateOnly dueOn, DateTimeOffset receivedAt, string id) =>
        DayKey(dueOn) + "_" + TableKeys.Number(receivedAt.UtcTicks) + "_" + TableKeys.Escape(id);

    private static string DayKey(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>
    /// A place just before the row key the service stopped at (a page starting after it reads that row first): the tick
    /// before its receipt, same due day. Rows between that place and the key were looked at already; reading them again
    /// changes nothing. Null for a key of another shape.
    /// </summary>
    private static OpenRequestCursor? CursorOf(string rowKey)
    {
        var parts = rowKey.Split('_', 3);
        return parts.Length == 3
            && DateOnly.TryParseExact(parts[0], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var due)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks > 0
            ? new OpenRequestCursor(due, new DateTimeOffset(ticks - 1, TimeSpan.Zero), "0")
            : null;
    }

    /// <summary>
    /// Indexes the requests stored before the inbox index existed (those still open), once per set of tables: a query
    /// across the Requests table, then a marker row so that it never runs again.
    /// </summary>
    internal static async Task BuildInboxIndexAsync(AzureTableStore store, CancellationToken cancellationToken)
    {
        if (await store.Client.GetAsync(store.LookupsTable, TableRows.LookupPartition, TableRows.InboxIndexBuilt, cancellationToken) is not null)
        {
            return;
        }

        var open = string.Join(" and ", new[] { RequestStatus.Completed, RequestStatus.Rejected, RequestStatus.Expired }.Select(s => "Status ne " + TableKeys.Literal(s.Name())));
        var rows = await store.Client.QueryAsync(store.RequestsTable, $"RowKey eq {TableKeys.Literal(TableRows.Request)} and {open}", null, cancellationToken);
        var indexer = new AzureTableRequestStore(store);
        foreach (var chunk in rows.Select(r => indexer.InboxRow(ReadRequest(TableKeys.Unescape(r.PartitionKey), r))).Chunk(TableGateway.MaxBatchOperations))
        {
            var result = await store.Client.SubmitTransactionAsync(store.InboxTable, chunk.Select(TableOperation.Upsert).ToList(), cancellationToken);
            if (!result.Succeeded)
            {
                throw new TableStorageException("building the inbox index", result.Status, result.ErrorCode, null);
            }
        }

        await store.Client.ExecuteAsync(store.LookupsTable, TableOperation.Upsert(new TableEntity(TableRows.LookupPartition, TableRows.InboxIndexBuilt)), cancellationToken);
    }
}
