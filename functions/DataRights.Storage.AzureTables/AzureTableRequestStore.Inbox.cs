using System.Globalization;
using DataRights.Core.Audit;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// The inbox index: one row per open request in the Inbox table, in a partition per due day, keyed by its place in the
/// inbox order (due day, then received ticks, then id: the row key starts with its partition's key, so the order of
/// partition and row key is the inbox order), with the fields the inbox filters on as properties (the address only as
/// the store's keyed hash of it), so a page of the inbox is a range query over the partitions of a window of due days,
/// with a filter and a limit (a few windows when the filter matches little: see <see cref="ListAsync"/>).
/// <para>
/// A partition per day rather than one for the whole index: Azurite finds a row to write by scanning the rows of its
/// partition, so a write into one partition slows as the partition grows (the single partition of an earlier layout
/// took writes, every commit's included, at about 20 a second at 25,000 rows); on Azure it spreads the index's
/// writes. A transaction holds one partition, so rows written together go a transaction per due day, and a row whose
/// due date changes moves between partitions (a delete and a write, as its key changes anyway).
/// </para>
/// <para>
/// It cannot share a transaction with the request (another table). A new request's row is written with its claim,
/// before the request (as its open-list row is; a reader skips a row whose request is not there yet, and removes it once
/// no writer can still be writing it); a changed request's row is written after its commit (moved when the due date
/// changes), and removed after its final commit. A crash between a commit and its row leaves the row behind the request
/// (an old status or due date) until the request's next commit rewrites it, or a reader that meets it repairs it; so
/// may two commits of one request whose index writes cross on the way (the earlier one's row landing last). Until then
/// a filter on the new status misses the request (the unfiltered inbox and the full list of open requests still show it).
/// A commit that moves neither the status nor the due date (most of them: a step's answer, work carried out) writes no
/// row, as the row lists nothing else a commit changes (since 2026-12-06, seventeenth session; before, every commit
/// rewrote it, about 5.5 writes a request in the orchestrations bench), except the commit that follows the request's
/// first write, which writes it all the same: a crash between a new request's write and its row is the one case that
/// leaves no row at all, and that commit puts it there.
/// Readers therefore read the requests listed and keep only those that still match, and repair the others
/// (<see cref="RepairAsync"/>).
/// Requests stored before the index existed, or indexed in its earlier single partition, are indexed once, at start
/// (<see cref="BuildInboxIndexAsync"/>).
/// </para>
/// </summary>
public sealed partial class AzureTableRequestStore
{
    /// <summary>The most pages (round trips) one listing reads before it stops and says where it got to.</summary>
    internal const int MaxInboxPages = 4;

    /// <summary>The due days the second window of a listing spans; each window after it spans four times the one before.</summary>
    internal const int FirstWindowDays = 7;

    /// <summary>How far past today the windows reach before the last one takes the rest of the list.</summary>
    private const int WindowYears = 10;

    /// <summary>
    /// Reads the index window by window of due days, in order, until it has a page (or the list ends, or
    /// <see cref="MaxInboxPages"/> round trips are spent): without a cursor, first everything due before today, then the
    /// next 7 days, 28, 112 and so on; from a cursor, 7 days from its due day, then 28 and so on. Each query is bounded by
    /// its window, so the service sorts only the matching rows of one window, never the whole list (Azurite evaluates a
    /// query against every row and sorts what matches before it takes the first rows); a filter that matches many
    /// requests fills its page from the first window, and one that matches few reaches far in few round trips. When the
    /// round trips are spent, one query for a single match past the last window says whether more may follow (the page
    /// then offers to look further) or the list has ended.
    /// </summary>
    public async Task<InboxIndexPage> ListAsync(InboxFilter filter, OpenRequestCursor? after, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var today = DateOnly.FromDateTime(store.Time.GetUtcNow().UtcDateTime);
        var horizon = today.AddYears(WindowYears);
        var days = FirstWindowDays;
        DateOnly? end = today;
        if (filter.Email is not null)
        {
            // An address has a handful of requests at most: one query over the rest of the list sorts only those.
            end = null;
        }
        else if (after is not null)
        {
            end = WindowEnd(after.DueOn, days, horizon);
            days *= 4;
        }

        var from = after;
        var entries = new List<InboxIndexEntry>(max + 1);
        var pagesLeft = MaxInboxPages;
        while (true)
        {
            if (filter.DueBefore is { } dueBefore && end >= dueBefore)
            {
                // The rest of what the filter's due date leaves, in one window.
                end = null;
            }

            // One more than asked, to know whether another page follows.
            var (rows, stoppedAt, pages) = await store.Client.QueryPagesAsync(
                store.InboxTable, InboxQueryFilter(filter, from, end), max + 1 - entries.Count, pagesLeft, cancellationToken);
            entries.AddRange(rows.Select(ReadInboxRow));
            if (entries.Count > max)
            {
                return new InboxIndexPage(entries[..max], entries[max - 1].Cursor);
            }

            // Stopped looking inside the window: the next page starts where the service got to (a place that would not
            // move past this reading's start, two requests received in the same tick, is not one: then after the last
            // entry read, if any).
            if (stoppedAt is not null)
            {
                var there = CursorOf(stoppedAt) is { } place && (from is null || from.IsBefore(place)) ? place : null;
                var next = there ?? (entries.Count > 0 ? entries[^1].Cursor : null);
                return new InboxIndexPage(entries, next, ScannedOut: next is not null);
            }

            if (end is not { } windowEnd)
            {
                return new InboxIndexPage(entries, null);
            }

            // The next window starts where this one ended: before every key of its end day.
            from = new OpenRequestCursor(windowEnd, DateTimeOffset.MinValue, "0");
            pagesLeft -= pages;
            if (pagesLeft <= 0)
            {
                // Out of round trips: one more, for a single match further down, says whether to offer to look further.
                var (beyond, stoppedBeyond, _) = await store.Client.QueryPagesAsync(store.InboxTable, InboxQueryFilter(filter, from, null), 1, 1, cancellationToken);
                return beyond.Count > 0 || stoppedBeyond is not null ? new InboxIndexPage(entries, from, ScannedOut: true) : new InboxIndexPage(entries, null);
            }

            end = WindowEnd(windowEnd, days, horizon);
            days = Math.Min(4 * days, 366 * WindowYears);
        }
    }

    /// <summary>The end of a window of <paramref name="days"/> from <paramref name="start"/>; null (the rest of the list) past the horizon.</summary>
    private static DateOnly? WindowEnd(DateOnly start, int days, DateOnly horizon) =>
        start.DayNumber + days > horizon.DayNumber ? null : start.AddDays(days);

    public async Task RepairAsync(InboxIndexEntry entry, DataSubjectRequest? request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var partition = TableRows.InboxPartition(entry.DueOn);
        var key = InboxKey(entry.DueOn, entry.ReceivedAt, entry.RequestId);
        var etag = entry.Tag ?? "*";
        if (request is null)
        {
            // Written before its request: gone only once no writer can still be writing that request.
            var row = await store.Client.GetAsync(store.InboxTable, partition, key, cancellationToken);
            if (row is not null && AuditChain.ParseInstant(row.GetString("IndexedAt")) < store.Time.GetUtcNow() - store.AbandonAfter)
            {
                await store.Client.ExecuteAsync(store.InboxTable, TableOperation.Delete(partition, key, row.ETag ?? "*"), cancellationToken, 404, 412);
            }

            return;
        }

        if (RequestLifecycle.IsFinal(request.Status) || InboxKey(request) != key)
        {
            await store.Client.ExecuteAsync(store.InboxTable, TableOperation.Delete(partition, key, etag), cancellationToken, 404, 412);
            if (!RequestLifecycle.IsFinal(request.Status))
            {
                // Its row under its present place may be the one missing: write it (the same as a commit would).
                await store.Client.ExecuteAsync(store.InboxTable, TableOperation.Upsert(InboxRow(request)), cancellationToken);
            }

            return;
        }

        await store.Client.ExecuteAsync(store.InboxTable, TableOperation.Replace(InboxRow(request), etag), cancellationToken, 404, 412);
    }

    /// <summary>
    /// After a commit: the request's row written under its present place, its row under the old due date removed (from
    /// that day's partition), or its row removed once final.
    /// </summary>
    private async Task IndexAfterCommitAsync(DataSubjectRequest updated, DateOnly previousDueOn, CancellationToken cancellationToken)
    {
        Task DeleteAsync(DateOnly dueOn) => store.Client.ExecuteAsync(
            store.InboxTable, TableOperation.Delete(TableRows.InboxPartition(dueOn), InboxKey(dueOn, updated.ReceivedAt, updated.Id), "*"), cancellationToken, 404);
        var moved = previousDueOn != updated.Deadline.DueOn;
        if (RequestLifecycle.IsFinal(updated.Status))
        {
            await Task.WhenAll(moved ? [DeleteAsync(updated.Deadline.DueOn), DeleteAsync(previousDueOn)] : [DeleteAsync(updated.Deadline.DueOn)]);
            return;
        }

        // The new row first, the old one only once it is written: a failure between the two leaves a row with the old due
        // date, which a reader repairs, never none (an open request missing from the inbox and the hourly workflow check).
        await store.Client.ExecuteAsync(store.InboxTable, TableOperation.Upsert(InboxRow(updated)), cancellationToken);
        if (moved)
        {
            await DeleteAsync(previousDueOn);
        }
    }

    /// <summary>
    /// The rows of requests claimed together, in one transaction (or as many as they need), before any of them is
    /// written; false when the service refused (each is then written after its request).
    /// </summary>
    private async Task<bool> IndexClaimedAsync(IReadOnlyList<DataSubjectRequest> claimed)
    {
        try
        {
            foreach (var chunk in InboxBatches(claimed))
            {
                var result = await store.Client.SubmitTransactionAsync(store.InboxTable, chunk, CancellationToken.None);
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

    /// <summary>The rows of the open ones of <paramref name="requests"/> as upserts, in transactions of one partition (due day) each.</summary>
    private List<TableOperation[]> InboxBatches(IEnumerable<DataSubjectRequest> requests) =>
        [.. requests
            .Where(r => !RequestLifecycle.IsFinal(r.Status))
            .Select(InboxRow)
            .GroupBy(row => row.PartitionKey, StringComparer.Ordinal)
            .SelectMany(partition => partition.Select(TableOperation.Upsert).Chunk(TableGateway.MaxBatchOperations))];

    /// <summary>A new request's row, written once its partition is (a final one, refused at intake, has none).</summary>
    private Task IndexNewAsync(DataSubjectRequest stored, CancellationToken cancellationToken) =>
        RequestLifecycle.IsFinal(stored.Status)
            ? Task.CompletedTask
            : store.Client.ExecuteAsync(store.InboxTable, TableOperation.Upsert(InboxRow(stored)), cancellationToken);

    /// <summary>
    /// The query of one window: the partitions of its due days, from the cursor's day (and after the cursor's key in
    /// it) up to the window's end day (or the filter's due date, whichever comes first), then the filter. Bounded on
    /// both sides by days, so the earlier single partition (whose key sorts after every day's) is never read.
    /// </summary>
    private string InboxQueryFilter(InboxFilter filter, OpenRequestCursor? after, DateOnly? before)
    {
        var parts = new List<string> { "PartitionKey ge " + TableKeys.Literal(TableRows.InboxPartition(after?.DueOn ?? DateOnly.MinValue)) };
        if (after is not null)
        {
            // Row keys start with their day, so one comparison places the cursor within its day and across days.
            parts.Add("RowKey gt " + TableKeys.Literal(InboxKey(after.DueOn, after.ReceivedAt, after.Id)));
        }

        var until = filter.DueBefore is { } dueBefore && (before is null || dueBefore < before) ? dueBefore : before;
        parts.Add(until is { } end
            ? "PartitionKey lt " + TableKeys.Literal(TableRows.InboxPartition(end))
            : "PartitionKey le " + TableKeys.Literal(TableRows.InboxPartition(DateOnly.MaxValue)));

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
        var row = new TableEntity(TableRows.InboxPartition(r.Deadline.DueOn), InboxKey(r)) { Description = $"inbox index row of request {r.Id}" }
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

    /// <summary>
    /// The inbox order as text: due day (yyyyMMdd, its partition's key), received (19 digits of UTC ticks), id. The day
    /// stays in the row key, so a continuation token's row key alone says where the service stopped.
    /// </summary>
    internal static string InboxKey(DateOnly dueOn, DateTimeOffset receivedAt, string id) =>
        TableRows.InboxPartition(dueOn) + "_" + TableKeys.Number(receivedAt.UtcTicks) + "_" + TableKeys.Escape(id);

    /// <summary>
    /// A place just before the row the service stopped at (a page starting after it reads that row first): the tick
    /// before its receipt, same due day; or, stopped between partitions with no row key, before every row of the next
    /// partition's day. Rows between that place and the row were looked at already; reading them again changes nothing.
    /// Null for keys of another shape.
    /// </summary>
    private static OpenRequestCursor? CursorOf(ContinuationPlace place)
    {
        if (place.RowKey is null)
        {
            return DateOnly.TryParseExact(place.PartitionKey, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                ? new OpenRequestCursor(day, DateTimeOffset.MinValue, "0")
                : null;
        }

        var parts = place.RowKey.Split('_', 3);
        return parts.Length == 3
            && DateOnly.TryParseExact(parts[0], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var due)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks > 0
            ? new OpenRequestCursor(due, new DateTimeOffset(ticks - 1, TimeSpan.Zero), "0")
            : null;
    }

    /// <summary>
    /// Indexes every open request in the partitions by due day, once per set of tables: a query across the Requests
    /// table, the rows written a transaction per day (up to 100 rows each), the rows of the index's earlier single
    /// partition removed, then a marker row so that it never runs again. A store whose index predates the partitions by
    /// day is thus rebuilt from its requests, as is one that predates the index; a crash before the marker runs it all
    /// again at the next start (its writes are upserts, its deletes tolerate rows already gone).
    /// </summary>
    internal static async Task BuildInboxIndexAsync(AzureTableStore store, CancellationToken cancellationToken)
    {
        if (await store.Client.GetAsync(store.LookupsTable, TableRows.LookupPartition, TableRows.InboxIndexByDueDayBuilt, cancellationToken) is not null)
        {
            return;
        }

        var open = string.Join(" and ", new[] { RequestStatus.Completed, RequestStatus.Rejected, RequestStatus.Expired }.Select(s => "Status ne " + TableKeys.Literal(s.Name())));
        var rows = await store.Client.QueryAsync(store.RequestsTable, $"RowKey eq {TableKeys.Literal(TableRows.Request)} and {open}", null, cancellationToken);
        var indexer = new AzureTableRequestStore(store);
        foreach (var chunk in indexer.InboxBatches(rows.Select(r => ReadRequest(TableKeys.Unescape(r.PartitionKey), r))))
        {
            var result = await store.Client.SubmitTransactionAsync(store.InboxTable, chunk, cancellationToken);
            if (!result.Succeeded)
            {
                throw new TableStorageException("building the inbox index", result.Status, result.ErrorCode, null);
            }
        }

        await RemoveSingleInboxPartitionAsync(store, cancellationToken);
        await store.Client.ExecuteAsync(store.LookupsTable, TableOperation.Upsert(new TableEntity(TableRows.LookupPartition, TableRows.InboxIndexByDueDayBuilt)), cancellationToken);
    }

    /// <summary>
    /// Removes the rows of the index's earlier single partition, 100 to a transaction (one partition, so a transaction
    /// may hold them); a transaction refused because a row of it went meanwhile (another instance doing the same) is
    /// done row by row instead.
    /// </summary>
    private static async Task RemoveSingleInboxPartitionAsync(AzureTableStore store, CancellationToken cancellationToken)
    {
        var old = await store.Client.QueryAsync(store.InboxTable, TableKeys.Partition(TableRows.SingleInboxPartition), null, cancellationToken, ["RowKey"]);
        foreach (var chunk in old.Select(r => TableOperation.Delete(TableRows.SingleInboxPartition, r.RowKey, "*")).Chunk(TableGateway.MaxBatchOperations))
        {
            if (!(await store.Client.SubmitTransactionAsync(store.InboxTable, chunk, cancellationToken)).Succeeded)
            {
                foreach (var delete in chunk)
                {
                    await store.Client.ExecuteAsync(store.InboxTable, delete, cancellationToken, 404);
                }
            }
        }
    }
}
