using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

public sealed partial class AzureTableStore
{
    // An index change that loses a race with the relay re-reads the marker and writes again, a few times.
    private const int IndexRounds = 3;

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

    /// <summary>Writes a changed copy of a work row, conditional on the ETag it was read with. False when the row changed since (or went).</summary>
    internal async Task<bool> ReplaceWorkRowAsync(TableEntity read, TableEntity changed, CancellationToken cancellationToken)
    {
        var result = await Client.ExecuteAsync(RequestsTable, TableOperation.Replace(changed, read.ETag!), cancellationToken, 404, 412);
        return result.Succeeded;
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

    /// <summary>
    /// Moves an item's queue copy (the relay's index) to <paramref name="rowKey"/> in <paramref name="state"/>, rebuilt from its
    /// work row: leased items under their lease's end and retried ones under their new due time, so the relay's due range finds
    /// lapsed leases and retries as before. <paramref name="marker"/> is the marker as read (null: look it up, or the item is not
    /// in the queue yet, and is put there). Conditional on the marker's ETag; a lost race reads again. The work row decides: an
    /// index left behind by a crash or a lost race at most makes the relay hand the item over once more, which its run finds
    /// in progress or finished.
    /// </summary>
    internal async Task IndexWorkAsync(TableEntity work, string rowKey, string state, DateTimeOffset due, TableEntity? marker, CancellationToken cancellationToken)
    {
        var itemId = work.GetString("ItemId");
        var row = QueueRow(work, rowKey, state, due, work.GetInt32("Attempts"), work.GetStringOrNull("LeaseToken"));
        var newMarker = QueueMarker(row);
        for (var round = 0; round < IndexRounds; round++)
        {
            marker ??= await Client.GetAsync(QueueTable, TableRows.QueuePartition, TableRows.Marker(itemId), cancellationToken);
            List<TableOperation> operations = marker is null
                ? [TableOperation.Insert(newMarker), TableOperation.Upsert(row)]
                : marker.GetString("At") == rowKey
                    ? [TableOperation.Replace(newMarker, marker.ETag!), TableOperation.Upsert(row)]
                    : [TableOperation.Replace(newMarker, marker.ETag!), TableOperation.Delete(TableRows.QueuePartition, marker.GetString("At"), "*"), TableOperation.Upsert(row)];
            if ((await Client.SubmitTransactionAsync(QueueTable, operations, cancellationToken)).Succeeded)
            {
                return;
            }

            marker = null;
        }
    }

    /// <summary>Takes a finished item's queue copy (marker and row) out of the queue; its final state stays on its work row.</summary>
    internal async Task UnindexWorkAsync(string itemId, TableEntity? marker, CancellationToken cancellationToken)
    {
        for (var round = 0; round < IndexRounds; round++)
        {
            marker ??= await Client.GetAsync(QueueTable, TableRows.QueuePartition, TableRows.Marker(itemId), cancellationToken);
            if (marker is null)
            {
                return;
            }

            var removed = await Client.SubmitTransactionAsync(
                QueueTable,
                [TableOperation.Delete(TableRows.QueuePartition, marker.RowKey, marker.ETag!), TableOperation.Delete(TableRows.QueuePartition, marker.GetString("At"), "*")],
                cancellationToken);
            if (removed.Succeeded)
            {
                return;
            }

            if (removed.FailedAt(1, 404))
            {
                // A marker whose row is gone already (never so written, but it must not keep the item in the queue).
                await Client.ExecuteAsync(QueueTable, TableOperation.Delete(TableRows.QueuePartition, marker.RowKey, marker.ETag!), cancellationToken, 404, 412);
                return;
            }

            marker = null;
        }
    }
}
