using System.Security.Cryptography;
using DataRights.Core.Audit;
using DataRights.Core.Ports;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// <see cref="IWorkOutbox"/> over the same queue rows as <see cref="AzureTableWorkQueue"/>, with the SQLite outbox's
/// semantics. Two more states: <c>relaying</c> (claimed by the relay; the row is keyed by the claim's end) and
/// <c>sent</c> (its orchestration has it; keyed by its due time). Both sit under prefixes of their own, outside the queue's
/// due range. Every change is one transaction over the item's row and marker, conditional on the ETags read; a delivered
/// item is leased by id (row keyed by the lease's end, marker <c>leased</c> with the token), and its completion, retry
/// and dead letter are the queue's.
/// </summary>
public sealed class AzureTableWorkOutbox(AzureTableStore store) : IWorkOutbox
{
    // A delivery that loses a race re-reads and decides again, a few times, before calling the item in progress.
    private const int DeliveryRounds = 3;

    public async Task<IReadOnlyList<OutboxItem>> ClaimUnsentAsync(int max, DateTimeOffset now, TimeSpan claimFor, TimeSpan resendAfter, CancellationToken cancellationToken)
    {
        // Nothing else reads the queue's due range, so the relay is what finishes a crashed writer's dispatch.
        await store.RecoverIfDueAsync(cancellationToken);
        var claimed = new List<OutboxItem>();
        if (max <= 0)
        {
            return claimed;
        }

        // Unsent items whatever their due time and lapsed leases (the due range), lapsed claims, and sent items never run.
        var queued = TableKeys.Partition(TableRows.QueuePartition) + " and RowKey lt 'A' and (State eq " + TableKeys.Literal(TableRows.Pending)
            + " or RowKey lt " + TableKeys.Literal(TableKeys.Number(now.UtcTicks + 1)) + ")";
        var found = await Task.WhenAll(
            store.Client.QueryAsync(store.QueueTable, queued, max, cancellationToken),
            store.Client.QueryAsync(store.QueueTable, TableRows.KeyedBy(TableRows.ClaimPrefix, now), max, cancellationToken),
            store.Client.QueryAsync(store.QueueTable, TableRows.KeyedBy(TableRows.SentPrefix, now - resendAfter), max, cancellationToken));
        var candidates = found.SelectMany(rows => rows)
            .OrderBy(row => AuditChain.ParseInstant(row.GetString("Due")))
            .ThenBy(row => row.RowKey, StringComparer.Ordinal)
            .Take(max)
            .ToList();

        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var until = now + claimFor;
        var won = await Task.WhenAll(candidates.Select(row => TryClaimAsync(row, now, until, token, cancellationToken)));
        claimed.AddRange(won.OfType<OutboxItem>());
        return claimed;
    }

    // Keyed by the later of its due time and this sending: the relay sends it again resendAfter past that, not at every
    // sweep once it is late (an orchestration that keeps a late item in hand would otherwise be sent it again and again).
    public Task<bool> MarkSentAsync(OutboxItem item, CancellationToken cancellationToken) =>
        FinishClaimAsync(item, (row, due, itemId) => Rekeyed(row, TableRows.SentItem(due > item.ClaimedAt ? due : item.ClaimedAt, itemId), TableRows.Sent, null), cancellationToken);

    public Task<bool> ReleaseAsync(OutboxItem item, CancellationToken cancellationToken) =>
        FinishClaimAsync(item, (row, due, itemId) => Rekeyed(row, TableRows.Due(due, itemId), TableRows.Pending, null), cancellationToken);

    public async Task<DeliveryLease> LeaseDeliveredAsync(string id, DateTimeOffset now, TimeSpan leaseFor, TimeSpan earlyTolerance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        for (var round = 0; round < DeliveryRounds; round++)
        {
            var marker = await store.Client.GetAsync(store.QueueTable, TableRows.QueuePartition, TableRows.Marker(id), cancellationToken);
            if (marker is null)
            {
                // Not in the queue: finished, never existed, or committed but not yet dispatched (then dispatch it and look again).
                var work = await WorkRowAsync(id, cancellationToken);
                switch (work?.GetString("State"))
                {
                    case null:
                        return new DeliveryLease(DeliveryOutcome.NotFound);
                    case TableRows.Done or TableRows.Dead:
                        return new DeliveryLease(DeliveryOutcome.AlreadyFinished);
                    default:
                        // Its orchestration has it (it is asking for it by id): written as handed over, so the relay leaves it.
                        await store.DispatchAsync(null, [work], cancellationToken, handedOver: true);
                        continue;
                }
            }

            var row = await store.Client.GetAsync(store.QueueTable, TableRows.QueuePartition, marker.GetString("At"), cancellationToken);
            if (row is null)
            {
                continue; // moved between the two reads
            }

            var state = marker.GetString("State");
            var due = AuditChain.ParseInstant(row.GetString("Due"));
            if (state == TableRows.Leased && due > now)
            {
                return new DeliveryLease(DeliveryOutcome.InProgress);
            }

            if (state != TableRows.Leased && due > now + earlyTolerance)
            {
                return new DeliveryLease(DeliveryOutcome.NotDueYet);
            }

            var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            var until = now + leaseFor;
            var attempts = row.GetInt32("Attempts") + 1;
            var leased = Rekeyed(row, TableRows.Due(until, id), TableRows.Leased, token)
                .Set("Due", AuditChain.FormatInstant(until))
                .Set("Attempts", attempts);
            if (await MoveAsync(row, leased, marker.ETag!, cancellationToken))
            {
                return new DeliveryLease(
                    DeliveryOutcome.Leased,
                    new LeasedWorkItem(new WorkItem(id, row.GetString("RequestId"), row.GetString("Kind"), row.GetText("Payload") ?? string.Empty, due), attempts, token));
            }
        }

        return new DeliveryLease(DeliveryOutcome.InProgress);
    }

    public async Task<bool> ExtendLeaseAsync(LeasedWorkItem item, DateTimeOffset until, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var marker = await store.Client.GetAsync(store.QueueTable, TableRows.QueuePartition, TableRows.Marker(item.Item.Id), cancellationToken);
        if (marker is null
            || marker.GetString("State") != TableRows.Leased
            || !string.Equals(marker.GetStringOrNull("LeaseToken"), item.LeaseToken, StringComparison.Ordinal))
        {
            return false;
        }

        var row = await store.Client.GetAsync(store.QueueTable, TableRows.QueuePartition, marker.GetString("At"), cancellationToken);
        if (row is null)
        {
            return false;
        }

        // The row is keyed by the lease's end (the relay takes it back from then on), so a longer lease re-keys it.
        var extended = Rekeyed(row, TableRows.Due(until, item.Item.Id), TableRows.Leased, item.LeaseToken).Set("Due", AuditChain.FormatInstant(until));
        return await MoveAsync(row, extended, marker.ETag!, cancellationToken);
    }

    private async Task<OutboxItem?> TryClaimAsync(TableEntity row, DateTimeOffset now, DateTimeOffset until, string token, CancellationToken cancellationToken)
    {
        var itemId = row.GetString("ItemId");
        var claim = Rekeyed(row, TableRows.Claim(until, itemId), TableRows.Relaying, token);

        // Conditional on the row's ETag: any other change of the item (lease, completion, another claim) re-keys or deletes that row.
        return await MoveAsync(row, claim, markerETag: "*", cancellationToken)
            ? new OutboxItem(
                new WorkItem(itemId, row.GetString("RequestId"), row.GetString("Kind"), row.GetText("Payload") ?? string.Empty, AuditChain.ParseInstant(row.GetString("Due"))),
                row.GetInt32("Attempts"),
                token)
            {
                ClaimedAt = now,
            }
            : null;
    }

    /// <summary>Moves a claimed item on (sent, or back to pending) when <paramref name="item"/>'s claim still holds it.</summary>
    private async Task<bool> FinishClaimAsync(OutboxItem item, Func<TableEntity, DateTimeOffset, string, TableEntity> next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var marker = await store.Client.GetAsync(store.QueueTable, TableRows.QueuePartition, TableRows.Marker(item.Item.Id), cancellationToken);
        if (marker is null
            || marker.GetString("State") != TableRows.Relaying
            || !string.Equals(marker.GetStringOrNull("LeaseToken"), item.ClaimToken, StringComparison.Ordinal))
        {
            return false;
        }

        var row = await store.Client.GetAsync(store.QueueTable, TableRows.QueuePartition, marker.GetString("At"), cancellationToken);
        if (row is null)
        {
            return false;
        }

        var due = AuditChain.ParseInstant(row.GetString("Due"));
        return await MoveAsync(row, next(row, due, item.Item.Id), marker.ETag!, cancellationToken);
    }

    /// <summary>The item's work row in its request's partition (ids start with the request id and a colon), or null.</summary>
    private async Task<TableEntity?> WorkRowAsync(string id, CancellationToken cancellationToken)
    {
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return null;
        }

        var work = await store.Client.GetAsync(store.RequestsTable, TableRows.RequestPartition(id[..colon]), TableRows.Work(id), cancellationToken);
        return work is not null && work.GetString("ItemId") == id ? work : null;
    }

    /// <summary>Replaces an item's queue row by <paramref name="moved"/> and updates its marker, in one transaction conditional on both ETags.</summary>
    private async Task<bool> MoveAsync(TableEntity row, TableEntity moved, string markerETag, CancellationToken cancellationToken)
    {
        var marker = AzureTableWorkQueue.Marker(
            moved, moved.RowKey, moved.GetString("State"), moved.GetInt32("Attempts"), moved.GetStringOrNull("LeaseToken"));
        List<TableOperation> operations = moved.RowKey == row.RowKey
            ? [TableOperation.Replace(moved, row.ETag!), TableOperation.Replace(marker, markerETag)]
            : [TableOperation.Delete(TableRows.QueuePartition, row.RowKey, row.ETag!), TableOperation.Insert(moved), TableOperation.Replace(marker, markerETag)];
        var result = await store.Client.SubmitTransactionAsync(store.QueueTable, operations, cancellationToken);
        return result.Succeeded;
    }

    /// <summary>A copy of an item's queue row under a new key and state (the due time stays unless the caller sets it).</summary>
    private static TableEntity Rekeyed(TableEntity row, string rowKey, string state, string? token)
    {
        var moved = new TableEntity(TableRows.QueuePartition, rowKey) { Description = row.Description };
        foreach (var (name, value) in row.Properties)
        {
            moved.Properties[name] = value;
        }

        return moved.Set("State", state).Set("LeaseToken", token);
    }
}
