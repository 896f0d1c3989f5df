using System.Runtime.CompilerServices;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

public sealed partial class AzureTableStore
{
    /// <summary>
    /// An item's work row in its request's partition, or null when there is none (or it belongs to another request).
    /// The work row is where an item's state lives: pending, leased (with its token and end), done or dead.
    /// </summary>
    internal async Task<TableEntity?> WorkRowAsync(string requestId, string itemId, CancellationToken cancellationToken)
    {
        var work = await Client.GetAsync(RequestsTable, TableRows.RequestPartition(requestId), TableRows.Work(itemId), cancellationToken);
        return work is not null
            && string.Equals(work.GetString("ItemId"), itemId, StringComparison.Ordinal)
            && string.Equals(work.GetString("RequestId"), requestId, StringComparison.Ordinal)
            ? work
            : null;
    }

    /// <summary>The item's work row when <paramref name="item"/>'s lease still holds it (leased, with its token); null when the lease was lost.</summary>
    internal async Task<TableEntity?> HeldWorkRowAsync(Core.Ports.LeasedWorkItem item, CancellationToken cancellationToken)
    {
        var work = await WorkRowAsync(item.Item.RequestId, item.Item.Id, cancellationToken);
        return work is not null
            && work.GetString("State") == TableRows.Leased
            && string.Equals(work.GetStringOrNull("LeaseToken"), item.LeaseToken, StringComparison.Ordinal)
            ? work
            : null;
    }

    /// <summary>Every work row of a request's partition (one query).</summary>
    internal Task<List<TableEntity>> WorkRowsOfAsync(string requestId, CancellationToken cancellationToken) =>
        Client.QueryAsync(RequestsTable, $"{TableKeys.Partition(TableRows.RequestPartition(requestId))} and {TableKeys.RowKeyPrefix(TableRows.WorkPrefix)}", null, cancellationToken);

    /// <summary>A copy of a held or pending work row as it ends: in <paramref name="state"/> (done or dead), its lease gone, finished at <paramref name="now"/>.</summary>
    internal static TableEntity Finished(TableEntity work, string state, DateTimeOffset now) =>
        CopyOf(work).Set("State", state).Set("LeaseToken", null).Set("LeaseUntil", null).Set("FinishedAt", Core.Audit.AuditChain.FormatInstant(now));

    /// <summary>How many work rows written by this process's commits are kept for their first lease (oldest forgotten first).</summary>
    internal const int WrittenWorkRowsKept = 4096;

    private readonly KeptRows<(string RequestId, string ItemId)> _writtenRows = new(WrittenWorkRowsKept);

    /// <summary>
    /// Keeps a work row this process's commit just wrote, with the ETag the write returned, so the item's first lease
    /// can be written on it without a read (see <see cref="WrittenWorkRow"/>). Kept for the last
    /// <see cref="WrittenWorkRowsKept"/> rows written.
    /// </summary>
    internal void RememberWrittenWorkRow(TableEntity row, string? etag)
    {
        if (etag is null)
        {
            return;
        }

        _writtenRows.Keep((row.GetString("RequestId"), row.GetString("ItemId")), CopyOf(row, etag));
    }

    /// <summary>
    /// The item's work row as this process's commit wrote it, taken (a later delivery reads the row), or null. It may be
    /// stale: a write conditional on its ETag fails if the row changed since, and the caller then reads the row.
    /// </summary>
    internal TableEntity? WrittenWorkRow(string requestId, string itemId) =>
        _writtenRows.TryTake((requestId, itemId), out var row) ? row : null;

    /// <summary>
    /// Each lease's work row as the lease last wrote it, with its ETag, kept in this process as long as the lease object
    /// lives: its holder's next write (extension, completion, retry) needs no read first.
    /// </summary>
    private readonly ConditionalWeakTable<Core.Ports.LeasedWorkItem, TableEntity> _leasedRows = new();

    /// <summary>Remembers <paramref name="row"/> (with the ETag its write returned) as <paramref name="item"/>'s lease last wrote it.</summary>
    internal void RememberLeasedRow(Core.Ports.LeasedWorkItem item, TableEntity row, string? etag)
    {
        if (etag is null)
        {
            return;
        }

        _leasedRows.AddOrUpdate(item, CopyOf(row, etag));
    }

    /// <summary>
    /// Writes <paramref name="change"/> of a held item's work row, while <paramref name="item"/>'s lease still holds it:
    /// conditional on the ETag the lease last wrote, with no read first; when the row changed since (another run took
    /// the lease over, or another writer only touched the row), it is read, its lease token checked, and written on
    /// the ETag read. False when the lease no longer holds it (or the row went).
    /// </summary>
    internal async Task<bool> ChangeHeldWorkRowAsync(Core.Ports.LeasedWorkItem item, Func<TableEntity, TableEntity> change, CancellationToken cancellationToken)
    {
        if (_leasedRows.TryGetValue(item, out var known))
        {
            _leasedRows.Remove(item);
            var written = await WriteHeldAsync(item, change(CopyOf(known)), known.ETag!, cancellationToken);
            if (written is not null)
            {
                return written.Value;
            }
        }

        if (await HeldWorkRowAsync(item, cancellationToken) is not { } work)
        {
            return false;
        }

        return await WriteHeldAsync(item, change(CopyOf(work)), work.ETag!, cancellationToken) ?? false;
    }

    /// <summary>Writes a held item's changed row on <paramref name="etag"/>: true (remembered while still leased), false when gone, null when it changed since.</summary>
    private async Task<bool?> WriteHeldAsync(Core.Ports.LeasedWorkItem item, TableEntity changed, string etag, CancellationToken cancellationToken)
    {
        var result = await Client.ExecuteAsync(RequestsTable, TableOperation.Replace(changed, etag), cancellationToken, 404, 412);
        if (result.Succeeded)
        {
            // Still leased (an extension): the holder's next write goes on this ETag. Done, dead or back to pending:
            // the lease is over, and a later write by it is read and refused by its token.
            if (changed.GetStringOrNull("State") == TableRows.Leased)
            {
                RememberLeasedRow(item, changed, result.ETag);
            }

            return true;
        }

        return result.NotFound ? false : null;
    }

    /// <summary>A copy of a row as a write left it: its properties, and the ETag the write returned.</summary>
    private static TableEntity CopyOf(TableEntity row, string etag)
    {
        var copy = CopyOf(row);
        copy.ETag = etag;
        return copy;
    }

    /// <summary>A copy of a work row (keys, description and properties) to change and write back.</summary>
    internal static TableEntity CopyOf(TableEntity row)
    {
        var copy = new TableEntity(row.PartitionKey, row.RowKey) { Description = row.Description };
        foreach (var (name, value) in row.Properties)
        {
            copy.Properties[name] = value;
        }

        return copy;
    }
}
