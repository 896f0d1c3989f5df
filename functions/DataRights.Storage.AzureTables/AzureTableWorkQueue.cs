using DataRights.Core.Audit;
using DataRights.Core.Ports;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// The work queue on Table storage. Outstanding items live in one queue partition, each as a row keyed by its
/// due time (a leased item's key is its lease's end, so the relay's one range query finds both due and abandoned
/// work) plus a marker row keyed by its id that says where it is and who holds it. Items are leased by id through
/// <see cref="AzureTableWorkOutbox"/>. Every change of an item is one transaction over its two rows, conditional on
/// the ETag the changer read: two deliveries can never both complete or retry the same item. Finished items leave
/// the queue; their final state stays on the work row in the request's partition.
/// </summary>
public sealed class AzureTableWorkQueue(AzureTableStore store) : IWorkQueue
{
    public Task<bool> CompleteAsync(LeasedWorkItem item, DateTimeOffset now, CancellationToken cancellationToken) =>
        FinishAsync(item, TableRows.Done, now, null, cancellationToken);

    public async Task<bool> RetryAsync(LeasedWorkItem item, DateTimeOffset notBefore, string error, CancellationToken cancellationToken)
    {
        if (await HeldMarkerAsync(item, cancellationToken) is not { } marker)
        {
            return false;
        }

        var row = await store.Client.GetAsync(store.QueueTable, TableRows.QueuePartition, marker.GetString("At"), cancellationToken);
        if (row is null)
        {
            return false;
        }

        var attempts = marker.GetInt32("Attempts");
        var moved = Moved(row, notBefore, item.Item.Id)
            .Set("State", TableRows.Pending)
            .Set("LeaseToken", null)
            .Set("LastError", Truncate(error));
        return await MoveAsync(row, moved, Marker(row, moved.RowKey, TableRows.Pending, attempts, null), marker.ETag!, cancellationToken);
    }

    public Task<bool> DeadLetterAsync(LeasedWorkItem item, DateTimeOffset now, string error, CancellationToken cancellationToken) =>
        FinishAsync(item, TableRows.Dead, now, error, cancellationToken);

    public async Task<IReadOnlyDictionary<string, int>> CountsAsync(string requestId, CancellationToken cancellationToken)
    {
        var work = await store.Client.QueryAsync(
            store.RequestsTable, $"{TableKeys.Partition(TableRows.RequestPartition(requestId))} and {TableKeys.RowKeyPrefix(TableRows.WorkPrefix)}", null, cancellationToken);
        var markers = await store.Client.QueryAsync(
            store.QueueTable,
            $"{TableKeys.Partition(TableRows.QueuePartition)} and {TableKeys.RowKeyPrefix(TableRows.MarkerPrefix)} and RequestId eq {TableKeys.Literal(requestId)}",
            null,
            cancellationToken);

        // An item still in the queue is pending or leased as the queue says; one that left it, as its work row says.
        var outstanding = markers.ToDictionary(m => m.GetString("ItemId"), m => m.GetString("State"), StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal) { [TableRows.Pending] = 0, [TableRows.Leased] = 0, [TableRows.Done] = 0, [TableRows.Dead] = 0 };
        foreach (var row in work)
        {
            var itemId = row.GetString("ItemId");
            var state = outstanding.Remove(itemId, out var queued) ? queued : row.GetString("State");
            counts[state] = counts.GetValueOrDefault(state) + 1;
        }

        foreach (var state in outstanding.Values)
        {
            counts[state] = counts.GetValueOrDefault(state) + 1;
        }

        return counts;
    }

    /// <summary>Done or dead: the final state goes on the work row, then the item leaves the queue (if the lease still holds).</summary>
    private async Task<bool> FinishAsync(LeasedWorkItem item, string state, DateTimeOffset now, string? error, CancellationToken cancellationToken)
    {
        if (await HeldMarkerAsync(item, cancellationToken) is not { } marker)
        {
            return false;
        }

        var requestId = marker.GetString("RequestId");
        var work = new TableEntity(TableRows.RequestPartition(requestId), TableRows.Work(item.Item.Id))
            .Set("State", state)
            .Set("Attempts", marker.GetInt32("Attempts"))
            .Set("FinishedAt", AuditChain.FormatInstant(now));
        if (error is not null)
        {
            work.Set("LastError", Truncate(error));
        }

        // Recorded first: if we die before the queue rows go, the item is simply leased and run again later.
        await store.Client.ExecuteAsync(store.RequestsTable, TableOperation.Merge(work, "*"), cancellationToken, 404);
        var removed = await store.Client.SubmitTransactionAsync(
            store.QueueTable,
            [
                TableOperation.Delete(TableRows.QueuePartition, marker.RowKey, marker.ETag!),
                TableOperation.Delete(TableRows.QueuePartition, marker.GetString("At"), "*"),
            ],
            cancellationToken);
        return removed.Succeeded;
    }

    /// <summary>The item's marker when <paramref name="item"/>'s lease still holds it; null when the lease was lost.</summary>
    private async Task<TableEntity?> HeldMarkerAsync(LeasedWorkItem item, CancellationToken cancellationToken)
    {
        var marker = await store.Client.GetAsync(store.QueueTable, TableRows.QueuePartition, TableRows.Marker(item.Item.Id), cancellationToken);
        return marker is not null
            && marker.GetString("State") == TableRows.Leased
            && string.Equals(marker.GetStringOrNull("LeaseToken"), item.LeaseToken, StringComparison.Ordinal)
            ? marker
            : null;
    }

    /// <summary>Re-keys an item's queue row to a new due time and updates its marker, in one transaction conditional on what was read.</summary>
    private async Task<bool> MoveAsync(TableEntity row, TableEntity moved, TableEntity marker, string markerETag, CancellationToken cancellationToken)
    {
        List<TableOperation> operations = moved.RowKey == row.RowKey
            ? [TableOperation.Replace(moved, row.ETag!), TableOperation.Replace(marker, markerETag)]
            : [TableOperation.Delete(TableRows.QueuePartition, row.RowKey, row.ETag!), TableOperation.Insert(moved), TableOperation.Replace(marker, markerETag)];
        var result = await store.Client.SubmitTransactionAsync(store.QueueTable, operations, cancellationToken);
        return result.Succeeded;
    }

    private static TableEntity Moved(TableEntity row, DateTimeOffset due, string itemId)
    {
        var moved = new TableEntity(TableRows.QueuePartition, TableRows.Due(due, itemId)) { Description = row.Description };
        foreach (var (name, value) in row.Properties)
        {
            moved.Properties[name] = value;
        }

        return moved.Set("Due", AuditChain.FormatInstant(due));
    }

    internal static TableEntity Marker(TableEntity row, string at, string state, int attempts, string? token) =>
        new TableEntity(TableRows.QueuePartition, TableRows.Marker(row.GetString("ItemId")))
            .Set("ItemId", row.GetString("ItemId"))
            .Set("RequestId", row.GetString("RequestId"))
            .Set("At", at)
            .Set("State", state)
            .Set("Attempts", attempts)
            .Set("LeaseToken", token);

    private static string Truncate(string error) => error.Length > 2000 ? error[..2000] : error;
}
