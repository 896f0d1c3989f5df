using System.Security.Cryptography;
using DataRights.Core.Audit;
using DataRights.Core.Ports;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// <see cref="IWorkOutbox"/> on Table storage. A delivered item is leased by id on its work row in the request's
/// partition (one write conditional on that row's ETag: state <c>leased</c>, token, lease end, attempts); its renewal, completion, retry and dead letter are each one more such write.
/// </summary>
public sealed class AzureTableWorkOutbox(AzureTableStore store) : IWorkOutbox
{
    // A delivery that loses a race re-reads and decides again, a few times, before calling the item in progress.
    private const int DeliveryRounds = 3;

    public async Task<DeliveryLease> LeaseDeliveredAsync(
        string requestId, string id, DateTimeOffset now, TimeSpan leaseFor, TimeSpan earlyTolerance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        ArgumentNullException.ThrowIfNull(id);
        // A row this process's commit wrote (most items: the step that decided them runs here) is leased on the ETag
        // the commit returned, with no read; if it changed since, that write is refused and the row is read, in a round
        // of its own. Only a pending, due row is taken from there: any other answer is read from the store.
        var fromCommit = store.WrittenWorkRow(requestId, id) is { } committed
            && committed.GetString("State") == TableRows.Pending
            && AuditChain.ParseInstant(committed.GetString("NotBefore")) <= now + earlyTolerance
            ? committed
            : null;
        var rounds = DeliveryRounds + (fromCommit is null ? 0 : 1);
        for (var round = 0; round < rounds; round++)
        {
            var work = fromCommit ?? await store.WorkRowAsync(requestId, id, cancellationToken);
            fromCommit = null;
            var state = work?.GetString("State");
            if (state is null)
            {
                return new DeliveryLease(DeliveryOutcome.NotFound);
            }

            var notBefore = AuditChain.ParseInstant(work!.GetString("NotBefore"));
            if (state is TableRows.Done)
            {
                return new DeliveryLease(DeliveryOutcome.AlreadyFinished);
            }

            if (state is TableRows.Dead)
            {
                var given = new WorkItem(id, requestId, work.GetString("Kind"), work.GetText("Payload") ?? string.Empty, notBefore);
                return new DeliveryLease(DeliveryOutcome.DeadLettered, new LeasedWorkItem(given, work.GetInt32("Attempts"), string.Empty), work.GetStringOrNull("LastError") ?? string.Empty);
            }

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
            var written = await store.Client.ExecuteAsync(store.RequestsTable, TableOperation.Replace(leased, work.ETag!), cancellationToken, 404, 412);
            if (!written.Succeeded)
            {
                continue; // another delivery (or the holder) changed it first: decide again on what it wrote
            }

            // A lease that lapses (its run died) is taken over by the next run its orchestration makes. The row as the
            // lease wrote it is kept, so the holder's next write (extension, completion, retry) needs no read.
            var lease = new LeasedWorkItem(new WorkItem(id, requestId, work.GetString("Kind"), work.GetText("Payload") ?? string.Empty, notBefore), attempts, token);
            store.RememberLeasedRow(lease, leased, written.ETag);
            return new DeliveryLease(DeliveryOutcome.Leased, lease);
        }

        return new DeliveryLease(DeliveryOutcome.InProgress);
    }

    public async Task<bool> ExtendLeaseAsync(LeasedWorkItem item, DateTimeOffset until, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        return await store.ChangeHeldWorkRowAsync(item, work => work.Set("LeaseUntil", AuditChain.FormatInstant(until)), cancellationToken);
    }

    public async Task<bool> StillHoldsAsync(LeasedWorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        return await store.HeldWorkRowAsync(item, cancellationToken) is not null;
    }

    /// <summary>When a leased work row's lease ends.</summary>
    private static DateTimeOffset LeaseEnd(TableEntity work) =>
        work.GetStringOrNull("LeaseUntil") is { } until ? AuditChain.ParseInstant(until) : DateTimeOffset.MinValue;
}
