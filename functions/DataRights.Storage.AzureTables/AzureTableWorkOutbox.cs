using System.Security.Cryptography;
using DataRights.Core.Audit;
using DataRights.Core.Ports;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// <see cref="IWorkOutbox"/> on Table storage. A commit's intent is one row in the queue partition
/// (<c>intent_&lt;request&gt;_&lt;version&gt;</c>), claimed by the relay with a write conditional on its ETag. A delivered item is
/// leased by id on its work row in the request's partition (one write conditional on that row's ETag: state
/// <c>leased</c>, token, lease end, attempts); its renewal, completion, retry and dead letter are each one more such write.
/// </summary>
public sealed class AzureTableWorkOutbox(AzureTableStore store) : IWorkOutbox
{
    // A delivery that loses a race re-reads and decides again, a few times, before calling the item in progress.
    private const int DeliveryRounds = 3;

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

            var notBefore = AuditChain.ParseInstant(work!.GetString("NotBefore"));
            var outcome = state == TableRows.Leased && LeaseEnd(work) > now ? DeliveryOutcome.InProgress
                : state != TableRows.Leased && notBefore > now + earlyTolerance ? DeliveryOutcome.NotDueYet
                : DeliveryOutcome.Leased;
            if (outcome != DeliveryOutcome.Leased)
            {
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

            // A lease that lapses (its run died) is taken over by the next run its orchestration makes.
            return new DeliveryLease(
                DeliveryOutcome.Leased,
                new LeasedWorkItem(new WorkItem(id, requestId, work.GetString("Kind"), work.GetText("Payload") ?? string.Empty, notBefore), attempts, token));
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

        return await store.ReplaceWorkRowAsync(work, AzureTableStore.CopyOf(work).Set("LeaseUntil", AuditChain.FormatInstant(until)), cancellationToken);
    }

    /// <summary>When a leased work row's lease ends.</summary>
    private static DateTimeOffset LeaseEnd(TableEntity work) =>
        work.GetStringOrNull("LeaseUntil") is { } until ? AuditChain.ParseInstant(until) : DateTimeOffset.MinValue;
}
