using DataRights.Core.Audit;
using DataRights.Core.Ports;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// The work queue on Table storage. An item's state lives on its work row in its request's partition: pending (due at
/// <c>NotBefore</c>), leased (with the lease's token and end, leased by id through <see cref="AzureTableWorkOutbox"/>),
/// done or dead. Every change is one write of that row conditional on the ETag the changer read while its lease held it:
/// two deliveries can never both complete or retry the same item. Outstanding items also have a copy in one queue
/// partition, the relay's index (a row keyed by its due time, or a leased item's by its lease's end, plus a marker row
/// keyed by its id); it follows each change, and a finished item leaves it. Work a step of the request's orchestration
/// committed and took back (<see cref="LeasedWorkItem.Relayed"/> false) has no copy: its changes are its work row's alone.
/// </summary>
public sealed class AzureTableWorkQueue(AzureTableStore store) : IWorkQueue
{
    public Task<bool> CompleteAsync(LeasedWorkItem item, DateTimeOffset now, CancellationToken cancellationToken) =>
        FinishAsync(item, TableRows.Done, now, null, cancellationToken);

    public async Task<bool> RetryAsync(LeasedWorkItem item, DateTimeOffset notBefore, string error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var (work, marker) = await HeldAsync(item, cancellationToken);
        if (work is null)
        {
            return false;
        }

        var retried = AzureTableStore.CopyOf(work)
            .Set("State", TableRows.Pending)
            .Set("NotBefore", AuditChain.FormatInstant(notBefore))
            .Set("LeaseToken", null)
            .Set("LeaseUntil", null)
            .Set("LastError", Truncate(error));
        if (!await store.ReplaceWorkRowAsync(work, retried, cancellationToken))
        {
            return false;
        }

        // The relay's index: pending at its new due time, so the relay hands it over again as it did before.
        if (item.Relayed)
        {
            await store.IndexWorkAsync(retried, TableRows.Due(notBefore, item.Item.Id), TableRows.Pending, notBefore, marker, cancellationToken);
        }

        return true;
    }

    public Task<bool> DeadLetterAsync(LeasedWorkItem item, DateTimeOffset now, string error, CancellationToken cancellationToken) =>
        FinishAsync(item, TableRows.Dead, now, error, cancellationToken);

    public async Task<IReadOnlyDictionary<string, int>> CountsAsync(string requestId, CancellationToken cancellationToken)
    {
        var work = await store.Client.QueryAsync(
            store.RequestsTable, $"{TableKeys.Partition(TableRows.RequestPartition(requestId))} and {TableKeys.RowKeyPrefix(TableRows.WorkPrefix)}", null, cancellationToken);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal) { [TableRows.Pending] = 0, [TableRows.Leased] = 0, [TableRows.Done] = 0, [TableRows.Dead] = 0 };
        var relayed = new Dictionary<string, string>(StringComparer.Ordinal);
        if (work.Any(row => row.GetString("State") == TableRows.Pending))
        {
            // Pending items the relay has claimed or handed over count as such (its index says which).
            var markers = await store.Client.QueryAsync(
                store.QueueTable,
                $"{TableKeys.Partition(TableRows.QueuePartition)} and {TableKeys.RowKeyPrefix(TableRows.MarkerPrefix)} and RequestId eq {TableKeys.Literal(requestId)}",
                null,
                cancellationToken);
            foreach (var marker in markers.Where(m => m.GetString("State") is TableRows.Relaying or TableRows.Sent))
            {
                relayed[marker.GetString("ItemId")] = marker.GetString("State");
            }
        }

        foreach (var row in work)
        {
            var state = row.GetString("State");
            if (state == TableRows.Pending && relayed.TryGetValue(row.GetString("ItemId"), out var relay))
            {
                state = relay;
            }

            counts[state] = counts.GetValueOrDefault(state) + 1;
        }

        return counts;
    }

    /// <summary>Done or dead: the final state goes on the work row (if the lease still holds), then the item leaves the queue.</summary>
    private async Task<bool> FinishAsync(LeasedWorkItem item, string state, DateTimeOffset now, string? error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var (work, marker) = await HeldAsync(item, cancellationToken);
        if (work is null)
        {
            return false;
        }

        var finished = AzureTableStore.CopyOf(work)
            .Set("State", state)
            .Set("LeaseToken", null)
            .Set("LeaseUntil", null)
            .Set("FinishedAt", AuditChain.FormatInstant(now));
        if (error is not null)
        {
            finished.Set("LastError", Truncate(error));
        }

        if (!await store.ReplaceWorkRowAsync(work, finished, cancellationToken))
        {
            return false;
        }

        // Recorded first: if we die before the queue rows go, the relay may hand the item over once more, and its run finds it finished.
        if (item.Relayed)
        {
            await store.UnindexWorkAsync(item.Item.Id, marker, cancellationToken);
        }

        return true;
    }

    /// <summary>The item's work row while <paramref name="item"/>'s lease holds it (else null), and its queue marker (if the relay tracks it), read together.</summary>
    private async Task<(TableEntity? Work, TableEntity? Marker)> HeldAsync(LeasedWorkItem item, CancellationToken cancellationToken)
    {
        var indexed = item.Relayed
            ? store.Client.GetAsync(store.QueueTable, TableRows.QueuePartition, TableRows.Marker(item.Item.Id), cancellationToken)
            : Task.FromResult<TableEntity?>(null);
        var work = await store.HeldWorkRowAsync(item, cancellationToken);
        return (work, await indexed);
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
