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
}
