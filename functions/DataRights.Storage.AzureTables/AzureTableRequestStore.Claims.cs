using System.Globalization;
using DataRights.Core.Audit;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// The claim at the lookups partition, as a group commit: submissions in one process that arrive while a claim is
/// being written wait, and are then claimed together, in one transaction conditional on the yearly reference
/// counter's ETag: the counter advanced by the number of them, and each one's fingerprint claim, status-token row
/// and open-list row, and its entry in its address's awaiting-verification row. Their inbox index rows go in one
/// transaction on the inbox partition, sent alongside; each request's own partition is then written by its submitter, in parallel. A member whose row
/// conflicts is taken out (its claim read and decided on its own) and the others go through in the next transaction.
/// Other processes are kept apart by the ETags.
/// </summary>
public sealed partial class AzureTableRequestStore
{
    /// <summary>Submissions claimed in one lookups transaction: the counter, three rows each and (at most) one address row each fit Table storage's 100 operations.</summary>
    internal const int MaxClaimedTogether = (TableGateway.MaxBatchOperations - 1) / 4;

    private readonly Lock _claimTurn = new();
    private readonly List<Claimant> _waiting = [];
    private bool _claiming;

    // The counter rows as this process last wrote them, per year, so a claim need not read the counter first;
    // when another process has moved a counter, its ETag no longer matches and the counter is read again.
    private readonly Dictionary<int, TableEntity> _counters = [];

    /// <summary>Tests only: awaited before each group of waiting submissions is taken, so a test can let several gather.</summary>
    internal Func<Task>? BeforeClaiming { get; set; }

    /// <summary>Submissions waiting for the next claim.</summary>
    internal int WaitingToClaim
    {
        get
        {
            lock (_claimTurn)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Queues the submission for the next claim, and leads the claiming when nobody is.</summary>
    private Task<ClaimStep> ClaimAsync(
        NewRequest request, DateTimeOffset duplicateSince, Func<DataSubjectRequest, Decision> start, string? takeOverFrom, CancellationToken cancellationToken)
    {
        var claimant = new Claimant(request, duplicateSince, start, takeOverFrom, cancellationToken);
        bool lead;
        lock (_claimTurn)
        {
            _waiting.Add(claimant);
            lead = !_claiming;
            _claiming = true;
        }

        if (lead)
        {
            // Not on the caller's token: the claim it writes serves every submission in it.
            _ = Task.Run(ClaimWaitingAsync, CancellationToken.None);
        }

        return claimant.Step.Task;
    }

    /// <summary>Claims the waiting submissions, group after group, until none waits.</summary>
    private async Task ClaimWaitingAsync()
    {
        while (true)
        {
            if (BeforeClaiming is { } gather)
            {
                await gather();
            }

            List<Claimant> group;
            lock (_claimTurn)
            {
                if (_waiting.Count == 0)
                {
                    _claiming = false;
                    return;
                }

                group = [.. _waiting];
                _waiting.Clear();
            }

            foreach (var year in group.GroupBy(c => c.Year))
            {
                var members = year.ToList();
                try
                {
                    await ClaimYearAsync(year.Key, members);
                }
                catch (Exception ex)
                {
                    // A refusal of the service or an unreachable one: every submission still waiting gets it.
                    members.ForEach(m => m.Step.TrySetException(ex));
                }
            }
        }
    }

    /// <summary>Claims submissions of one year, as many as fit one transaction at a time, until each has its answer.</summary>
    private async Task ClaimYearAsync(int year, List<Claimant> pending)
    {
        var counterKey = TableRows.ReferencePrefix + year.ToString(CultureInfo.InvariantCulture);
        for (var conflicts = 0; ;)
        {
            pending.RemoveAll(m => (m.Cancellation.IsCancellationRequested && m.Step.TrySetCanceled(m.Cancellation)) || m.Step.Task.IsCompleted);
            if (pending.Count == 0)
            {
                return;
            }

            if (conflicts > MaxAttempts)
            {
                throw new TableStorageException($"Submitting {pending.Count} requests: the lookups partition kept changing; gave up after {MaxAttempts} attempts.");
            }

            var batch = await ChooseAsync(pending);
            if (batch.Count == 0)
            {
                continue;
            }

            var counter = _counters.GetValueOrDefault(year)
                ?? await store.Client.GetAsync(store.LookupsTable, TableRows.LookupPartition, counterKey, CancellationToken.None);
            var last = counter is null ? 0 : counter.GetInt64("Last");
            var prepared = new List<Prepared>(batch.Count);
            foreach (var member in batch)
            {
                try
                {
                    prepared.Add(Prepare(member.Request, year, last + prepared.Count + 1, member.Start));
                }
                catch (Exception ex)
                {
                    // Its first decision failed or does not fit one transaction: that submission alone fails.
                    member.Step.TrySetException(ex);
                    break;
                }
            }

            if (prepared.Count < batch.Count)
            {
                continue;
            }

            var counterRow = new TableEntity(TableRows.LookupPartition, counterKey).Set("Last", last + batch.Count);
            var operations = new List<TableOperation> { counter is null ? TableOperation.Insert(counterRow) : TableOperation.Replace(counterRow, counter.ETag!) };
            var claims = new List<TableEntity>(batch.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                var (claimRow, rows) = ClaimRows(batch[i], last + i + 1);
                claims.Add(claimRow);
                operations.AddRange(rows);
            }

            // After the members' rows (whose positions name a conflicting member): one merge per address, as a
            // transaction may touch a row once. A merge adds or changes its entries and cannot conflict.
            operations.AddRange(batch.GroupBy(m => m.Request.Intake.Email, StringComparer.Ordinal).Select(a => WaitingEntriesFor(a.Key, a.Select(m => m.Request))));

            // Their inbox rows go out alongside too (before any of them is written, as their open-list rows do).
            var indexed = IndexClaimedAsync([.. prepared.Select(p => p.Stored)]);
            var result = await store.Client.SubmitTransactionAsync(store.LookupsTable, operations, CancellationToken.None);
            if (!result.Succeeded)
            {
                // Rows of members that are claimed in a later transaction are written again then (same keys).
                await indexed;
            }

            if (result.Succeeded)
            {
                // The next claim's condition; with no ETag in the answer the counter is read again instead.
                counterRow.ETag = result.ETags[0];
                if (counterRow.ETag is null)
                {
                    _counters.Remove(year);
                }
                else
                {
                    _counters[year] = counterRow;
                }

                for (var i = 0; i < batch.Count; i++)
                {
                    claims[i].ETag = result.ETags[1 + (3 * i)];
                    batch[i].Step.TrySetResult(new ClaimStep(Claimed: prepared[i], Indexed: indexed));
                }

                // An identical submission held back from this transaction now finds the claim just written.
                foreach (var waiting in pending.Where(m => !m.Step.Task.IsCompleted))
                {
                    waiting.Claim = claims.FirstOrDefault(c => c.RowKey == waiting.ClaimKey && c.ETag is not null) ?? waiting.Claim;
                }

                continue;
            }

            conflicts++;
            if (result.FailedIndex is not { } failed || failed == 0 || failed > 3 * batch.Count)
            {
                // Another process moved the counter (or the refusal named no operation): read it again.
                _counters.Remove(year);
                continue;
            }

            var conflicting = batch[(failed - 1) / 3];
            switch ((failed - 1) % 3)
            {
                case 0:
                    // Its fingerprint was claimed, or the claim changed, since we looked: read the claim and decide again.
                    conflicting.Claim = await store.Client.GetAsync(store.LookupsTable, TableRows.LookupPartition, conflicting.ClaimKey, CancellationToken.None);
                    break;
                case 1:
                    conflicting.Step.TrySetException(new InvalidOperationException($"Request {conflicting.Request.Id}: its status token hash belongs to another request."));
                    break;
                default:
                    conflicting.Step.TrySetException(new InvalidOperationException($"Request {conflicting.Request.Id} exists already."));
                    break;
            }
        }
    }

    /// <summary>
    /// The submissions that go into the next transaction; those whose claim, as read, already answers them (a duplicate,
    /// or our own claim that landed although its answer was lost) get their answer here. An identical submission waits
    /// for the next transaction: one transaction cannot write a row twice.
    /// </summary>
    private async Task<List<Claimant>> ChooseAsync(List<Claimant> pending)
    {
        var batch = new List<Claimant>();
        var fingerprints = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in pending)
        {
            if (batch.Count == MaxClaimedTogether || fingerprints.Contains(member.ClaimKey))
            {
                continue;
            }

            if (member.Claim is { } claim && string.Equals(claim.GetString("RequestId"), member.Request.Id, StringComparison.Ordinal))
            {
                // Our lookups transaction landed although its answer was lost (a retried send): carry on with its number.
                var open = await store.Client.GetAsync(store.LookupsTable, TableRows.LookupPartition, member.OpenKey, CancellationToken.None);
                if (open is null)
                {
                    member.Step.TrySetException(new InvalidOperationException($"Request {member.Request.Id} exists already."));
                    continue;
                }

                try
                {
                    member.Step.TrySetResult(new ClaimStep(Claimed: Prepare(member.Request, member.Year, open.GetInt64("Number"), member.Start)));
                }
                catch (Exception ex)
                {
                    member.Step.TrySetException(ex);
                }

                continue;
            }

            if (member.Claim is { } recent && AuditChain.ParseInstant(recent.GetString("ReceivedAt")) >= member.DuplicateSince
                && !string.Equals(recent.GetString("RequestId"), member.TakeOverFrom, StringComparison.Ordinal))
            {
                member.Step.TrySetResult(new ClaimStep(DuplicateOf: recent.GetString("RequestId")));
                continue;
            }

            if (member.TakeOverFrom is { } abandoned && member.Claim is { } stale
                && string.Equals(stale.GetString("RequestId"), abandoned, StringComparison.Ordinal)
                && !await FenceOffAsync(abandoned, member.Request.Id))
            {
                // The request it waited for was written after all: this submission repeats it.
                member.Step.TrySetResult(new ClaimStep(DuplicateOf: abandoned));
                continue;
            }

            fingerprints.Add(member.ClaimKey);
            batch.Add(member);
        }

        return batch;
    }

    /// <summary>
    /// Before a submission takes over the claim of a request that never appeared in time: writes that request's intake
    /// fence, so that request can no longer be written (its first transaction inserts the same row); true when it is
    /// fenced off (by this submission or another that took over before), false when it was written after all. A request
    /// written by an earlier version has no fence; its row is looked for too.
    /// </summary>
    private async Task<bool> FenceOffAsync(string abandoned, string takenOverBy)
    {
        var partition = TableRows.RequestPartition(abandoned);
        var fence = new TableEntity(partition, TableRows.Intake) { Description = $"intake fence of request {abandoned}" }.Set(TakenOverByColumn, takenOverBy);
        var written = await store.Client.ExecuteAsync(store.RequestsTable, TableOperation.Insert(fence), CancellationToken.None, 409);
        if (written.Status == 409)
        {
            var found = await store.Client.GetAsync(store.RequestsTable, partition, TableRows.Intake, CancellationToken.None);
            return found?.GetStringOrNull(TakenOverByColumn) is not null;
        }

        return await store.Client.GetAsync(store.RequestsTable, partition, TableRows.Request, CancellationToken.None) is null;
    }

    /// <summary>The member's fingerprint claim (returned, to learn its ETag), status-token row and open-list row, with its number.</summary>
    private static (TableEntity Claim, TableOperation[] Operations) ClaimRows(Claimant member, long number)
    {
        var request = member.Request;
        var claimRow = new TableEntity(TableRows.LookupPartition, member.ClaimKey)
            .Set("RequestId", request.Id)
            .Set("ReceivedAt", AuditChain.FormatInstant(request.ReceivedAt));
        if (member.Claim is { } claim && AuditChain.ParseInstant(claim.GetString("ReceivedAt")) > request.ReceivedAt)
        {
            // A later request (entered by staff with an earlier receipt date) keeps the claim; the ETag still serialises us.
            claimRow.Set("RequestId", claim.GetString("RequestId")).Set("ReceivedAt", claim.GetString("ReceivedAt"));
        }

        return (claimRow,
        [
            member.Claim is null ? TableOperation.Insert(claimRow) : TableOperation.Replace(claimRow, member.Claim.ETag!),
            TableOperation.Insert(new TableEntity(TableRows.LookupPartition, TableRows.TokenPrefix + TableKeys.Escape(request.StatusTokenHash)).Set("RequestId", request.Id)),
            TableOperation.Insert(new TableEntity(TableRows.LookupPartition, member.OpenKey).Set("RequestId", request.Id).Set("Number", number)),
        ]);
    }

    /// <summary>
    /// Gives back the claim of a submission whose request will not be written (its orchestration could not be told): its
    /// fingerprint claim (while it still names this request), status-token and open-list rows, its entry in its address's
    /// awaiting-verification row and its inbox row, so that nothing of it stays and a repeat is not taken for a duplicate.
    /// Best effort: what is left (the process died, a write failed) is what a reader already prunes as a claim whose
    /// request never appeared. Its reference number stays used.
    /// </summary>
    private async Task ReleaseClaimAsync(NewRequest request, DataSubjectRequest stored, Task<bool>? indexed)
    {
        try
        {
            if (indexed is not null)
            {
                await indexed;
            }

            var claimKey = TableRows.FingerprintPrefix + TableKeys.Escape(request.Fingerprint);
            var operations = new List<TableOperation>
            {
                TableOperation.Delete(TableRows.LookupPartition, TableRows.TokenPrefix + TableKeys.Escape(request.StatusTokenHash), "*"),
                TableOperation.Delete(TableRows.LookupPartition, TableRows.OpenPrefix + TableKeys.Escape(request.Id), "*"),
            };
            if (await store.Client.GetAsync(store.LookupsTable, TableRows.LookupPartition, claimKey, CancellationToken.None) is { } claim
                && string.Equals(claim.GetString("RequestId"), request.Id, StringComparison.Ordinal))
            {
                operations.Add(TableOperation.Delete(TableRows.LookupPartition, claimKey, claim.ETag!));
            }

            await store.Client.SubmitTransactionAsync(store.LookupsTable, operations, CancellationToken.None);
            await Task.WhenAll(
                RemoveWaitingEntryAsync(request.Intake.Email, request.Id, CancellationToken.None),
                store.Client.ExecuteAsync(store.InboxTable, TableOperation.Delete(TableRows.InboxPartition(stored.Deadline.DueOn), InboxKey(stored), "*"), CancellationToken.None, 404));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Left for the readers to prune: the submission's own failure is what its caller hears of.
        }
    }

    /// <summary>A submission waiting for its claim, and what is known of its fingerprint's claim (null: none is expected).</summary>
    private sealed class Claimant(NewRequest request, DateTimeOffset duplicateSince, Func<DataSubjectRequest, Decision> start, string? takeOverFrom, CancellationToken cancellation)
    {
        public NewRequest Request { get; } = request;

        public DateTimeOffset DuplicateSince { get; } = duplicateSince;

        public Func<DataSubjectRequest, Decision> Start { get; } = start;

        /// <summary>The request whose claim this submission takes over (it never appeared), if the claim still names it; null: none.</summary>
        public string? TakeOverFrom { get; } = takeOverFrom;

        public CancellationToken Cancellation { get; } = cancellation;

        public int Year { get; } = request.ReceivedAt.UtcDateTime.Year;

        public string ClaimKey { get; } = TableRows.FingerprintPrefix + TableKeys.Escape(request.Fingerprint);

        public string OpenKey { get; } = TableRows.OpenPrefix + TableKeys.Escape(request.Id);

        /// <summary>The fingerprint's claim as last read or written (null until a write finds one).</summary>
        public TableEntity? Claim { get; set; }

        public TaskCompletionSource<ClaimStep> Step { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// The answer of the claim: the request is ours to write (with its number, and its inbox row on the way), or
    /// duplicates another.
    /// </summary>
    private sealed record ClaimStep(Prepared? Claimed = null, string? DuplicateOf = null, Task<bool>? Indexed = null);
}
