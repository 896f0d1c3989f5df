using System.Security.Cryptography;
using DataRights.Core.Audit;
using DataRights.Core.Ports;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// <see cref="IWorkOutbox"/> over the same queue rows as <see cref="AzureTableWorkQueue"/>, with the SQLite outbox's
/// semantics. Two more states: <c>relaying</c> (claimed by the relay; the row is keyed by the claim's end) and
/// <c>sent</c> (its orchestration has it; keyed by its due time). Both sit under prefixes of their own, outside the queue's
/// due range. Every change of the relay's is one transaction over the item's row and marker, conditional on the ETags read.
/// A delivered item is leased by id on its work row in the request's partition (one write conditional on that row's ETag:
/// state <c>leased</c>, token, lease end, attempts); the queue copy, where the item has one, then follows as the relay's
/// index (keyed by the lease's end, marker <c>leased</c>). Work a step of the request's orchestration committed and took
/// back has no queue copy: only its work row is read and written. Its completion, retry and dead letter are the queue's.
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

    public async Task AnnouncementTakenAsync(string requestId, long version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        await store.Client.ExecuteAsync(
            store.QueueTable, TableOperation.Delete(TableRows.QueuePartition, TableRows.Intent(requestId, version), "*"), cancellationToken, 404);
    }

    public async Task<IReadOnlyList<UntakenAnnouncement>> ClaimUntakenAnnouncementsAsync(int max, DateTimeOffset now, TimeSpan olderThan, CancellationToken cancellationToken)
    {
        if (max <= 0)
        {
            return [];
        }

        // Few: an announcement's intent lives from just before its commit until its orchestration's next look. One left to
        // the relay and not yet made (or given back) is due at once; one made is due olderThan after it was.
        var intents = await store.Client.QueryAsync(
            store.QueueTable, TableKeys.Partition(TableRows.QueuePartition) + " and " + TableKeys.RowKeyPrefix(TableRows.IntentPrefix), null, cancellationToken);
        var stale = intents
            .Where(i => i.GetBoolean("Announced"))
            .Select(i => (Intent: i, Made: LastAnnounced(i)))
            .Where(i => i.Made is not { } made || made <= now - olderThan)
            .OrderBy(i => i.Made ?? DateTimeOffset.MinValue)
            .Take(max)
            .Select(i => i.Intent)
            .ToList();

        // Claimed by writing when it was made again, conditional on the ETag read: two relays never both make it. One whose
        // commit has not landed is left until it is older than any commit can take, then dropped.
        var claimed = await Task.WhenAll(stale.Select(async intent =>
        {
            if (!await store.LandedAsync(intent.GetString("RequestId"), intent, cancellationToken))
            {
                if (AuditChain.ParseInstant(intent.GetString("CreatedAt")) <= now - store.AbandonAfter)
                {
                    await store.Client.ExecuteAsync(store.QueueTable, TableOperation.Delete(TableRows.QueuePartition, intent.RowKey, intent.ETag!), cancellationToken, 404, 412);
                }

                return null;
            }

            var resent = AzureTableStore.CopyOf(intent).Set("ResentAt", AuditChain.FormatInstant(now));
            var result = await store.Client.ExecuteAsync(store.QueueTable, TableOperation.Replace(resent, intent.ETag!), cancellationToken, 404, 412);
            return result.Succeeded
                ? new UntakenAnnouncement(intent.GetString("RequestId"), intent.GetInt64("Version")) { First = LastAnnounced(intent) is null }
                : null;
        }));
        return [.. claimed.OfType<UntakenAnnouncement>()];
    }

    public async Task AnnouncementNotMadeAsync(UntakenAnnouncement announcement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(announcement);
        var key = TableRows.Intent(announcement.RequestId, announcement.Version);
        if (await store.Client.GetAsync(store.QueueTable, TableRows.QueuePartition, key, cancellationToken) is not { } intent)
        {
            return; // taken meanwhile
        }

        // Its last announcement is then the one before this claim: none for one left to the relay, the commit's own for one
        // announced before its commit (long enough ago to be claimed again).
        var back = AzureTableStore.CopyOf(intent).Set("ResentAt", null);
        await store.Client.ExecuteAsync(store.QueueTable, TableOperation.Replace(back, intent.ETag!), cancellationToken, 404, 412);
    }

    /// <summary>When an intent's commit was last announced: never, for one left to the relay and not yet made.</summary>
    private static DateTimeOffset? LastAnnounced(TableEntity intent) =>
        intent.GetStringOrNull("ResentAt") is { } resent ? AuditChain.ParseInstant(resent)
        : intent.GetBoolean("Relay") ? null
        : AuditChain.ParseInstant(intent.GetString("CreatedAt"));

    public async Task<DeliveryLease> LeaseDeliveredAsync(
        string requestId, string id, DateTimeOffset now, TimeSpan leaseFor, TimeSpan earlyTolerance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        ArgumentNullException.ThrowIfNull(id);
        for (var round = 0; round < DeliveryRounds; round++)
        {
            // The work row decides; the marker (of an item the relay tracks) is only the relay's index, moved after the lease is taken.
            var work = await store.WorkRowAsync(requestId, id, cancellationToken);
            var state = work?.GetString("State");
            if (state is null)
            {
                return new DeliveryLease(DeliveryOutcome.NotFound);
            }

            if (state is TableRows.Done or TableRows.Dead)
            {
                return new DeliveryLease(DeliveryOutcome.AlreadyFinished);
            }

            var relayed = AzureTableStore.IsRelayed(work!);
            var marker = relayed ? await store.Client.GetAsync(store.QueueTable, TableRows.QueuePartition, TableRows.Marker(id), cancellationToken) : null;
            var notBefore = AuditChain.ParseInstant(work!.GetString("NotBefore"));
            var outcome = state == TableRows.Leased && LeaseEnd(work) > now ? DeliveryOutcome.InProgress
                : state != TableRows.Leased && notBefore > now + earlyTolerance ? DeliveryOutcome.NotDueYet
                : DeliveryOutcome.Leased;
            if (outcome != DeliveryOutcome.Leased)
            {
                if (relayed && marker is null)
                {
                    // Committed but not yet copied to the queue, and its orchestration has it (it asks for it by id):
                    // copied as handed over, so the relay leaves it.
                    await store.DispatchAsync(null, [work], cancellationToken, handedOver: true);
                }

                return new DeliveryLease(outcome);
            }

            var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            var until = now + leaseFor;
            var attempts = work.GetInt32("Attempts") + 1;
            var leased = AzureTableStore.CopyOf(work)
                .Set("State", TableRows.Leased)
                .Set("LeaseToken", token)
                .Set("LeaseUntil", AuditChain.FormatInstant(until))
                .Set("Attempts", attempts);
            if (!await store.ReplaceWorkRowAsync(work, leased, cancellationToken))
            {
                continue; // another delivery (or the holder) changed it first: decide again on what it wrote
            }

            // The relay's index: keyed by the lease's end, so the relay takes the item back only once the lease lapses.
            // Work a step took back has none: a lapsed lease is taken over by the next run its orchestration makes.
            if (relayed)
            {
                await store.IndexWorkAsync(leased, TableRows.Due(until, id), TableRows.Leased, until, marker, cancellationToken);
            }

            return new DeliveryLease(
                DeliveryOutcome.Leased,
                new LeasedWorkItem(new WorkItem(id, requestId, work.GetString("Kind"), work.GetText("Payload") ?? string.Empty, notBefore), attempts, token)
                {
                    Relayed = relayed,
                });
        }

        return new DeliveryLease(DeliveryOutcome.InProgress);
    }

    public async Task<bool> ExtendLeaseAsync(LeasedWorkItem item, DateTimeOffset until, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (await store.HeldWorkRowAsync(item, cancellationToken) is not { } work)
        {
            return false;
        }

        // The relay's index is left at the lease's first end: the relay, finding it there, reads the work row and moves the
        // index to the end it finds (see TakeBackLapsedLeaseAsync), so a renewal costs the step no queue call.
        return await store.ReplaceWorkRowAsync(work, AzureTableStore.CopyOf(work).Set("LeaseUntil", AuditChain.FormatInstant(until)), cancellationToken);
    }

    /// <summary>When a leased work row's lease ends.</summary>
    private static DateTimeOffset LeaseEnd(TableEntity work) =>
        work.GetStringOrNull("LeaseUntil") is { } until ? AuditChain.ParseInstant(until) : DateTimeOffset.MinValue;

    private async Task<OutboxItem?> TryClaimAsync(TableEntity row, DateTimeOffset now, DateTimeOffset until, string token, CancellationToken cancellationToken)
    {
        var itemId = row.GetString("ItemId");
        if (row.GetString("State") == TableRows.Leased && !await TakeBackLapsedLeaseAsync(row, now, cancellationToken))
        {
            return null;
        }

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

    /// <summary>
    /// Before the relay claims an item whose queue copy says its lease lapsed, the lease is taken back on its work row
    /// (pending again, conditional on the row's ETag), so the holder, should it wake, can neither extend nor finish it.
    /// False when there is nothing to claim: the lease was extended (the queue copy is then moved to its end), the holder finished
    /// or changed it meanwhile, or the item is finished (its queue copy, left behind, is removed).
    /// </summary>
    private async Task<bool> TakeBackLapsedLeaseAsync(TableEntity row, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var work = await store.WorkRowAsync(row.GetString("RequestId"), row.GetString("ItemId"), cancellationToken);
        switch (work?.GetString("State"))
        {
            case null or TableRows.Pending:
                return true;
            case TableRows.Done or TableRows.Dead:
                await store.UnindexWorkAsync(row.GetString("ItemId"), null, cancellationToken);
                return false;
        }

        if (LeaseEnd(work!) > now)
        {
            var end = LeaseEnd(work!);
            await store.IndexWorkAsync(work!, TableRows.Due(end, row.GetString("ItemId")), TableRows.Leased, end, null, cancellationToken);
            return false;
        }

        var takenBack = AzureTableStore.CopyOf(work!).Set("State", TableRows.Pending).Set("LeaseToken", null).Set("LeaseUntil", null);
        return await store.ReplaceWorkRowAsync(work!, takenBack, cancellationToken);
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
