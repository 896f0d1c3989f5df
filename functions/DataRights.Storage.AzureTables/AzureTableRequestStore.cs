using System.Diagnostics;
using System.Globalization;
using DataRights.Core.Audit;
using DataRights.Core.Deadlines;
using DataRights.Core.Metrics;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Verification;
using DataRights.Core.Workflow;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// The request store on Azure Table storage, with the SQLite store's semantics. Each request is a
/// partition: its row, its audit entries and its work items, so a state change is one entity-group
/// transaction guarded by the request row's ETag. Unique things (the duplicate-window claim per
/// fingerprint, the yearly reference counter, the status-token index, the open-request list) live in one
/// lookups partition and change together in one transaction before the request is written (for several
/// submissions at once when they arrive together: see the claim's part of this class). Personal data
/// is kept as the SQLite store keeps it: the status token only as its hash, the fingerprint as a hash.
/// </summary>
public sealed partial class AzureTableRequestStore(AzureTableStore store) : IRequestStore, IRequestListing, IInboxIndex
{
    /// <summary>How long a submission waits for a concurrent identical one, which claimed the fingerprint first, to finish writing.</summary>
    private static readonly TimeSpan ClaimPatience = TimeSpan.FromSeconds(10);

    /// <summary>How long a submission keeps trying in all (waiting for claimants, taking over their claims) before it gives up.</summary>
    private static readonly TimeSpan SubmitPatience = ClaimPatience * 3;

    /// <summary>How many times a claim is written again after the lookups partition changed under it, before it gives up.</summary>
    private const int MaxAttempts = 200;

    /// <summary>The most index entries one reading of the open list asks for (one range query, then a point read each).</summary>
    private const int OpenListReading = 200;

    private static readonly InboxFilter AllOpen = new();

    public Task<SubmitOutcome> SubmitAsync(NewRequest request, DateTimeOffset duplicateSince, Func<DataSubjectRequest, Decision> start, CancellationToken cancellationToken) =>
        SubmitAsync(request, duplicateSince, start, announce: null, cancellationToken);

    public async Task<SubmitOutcome> SubmitAsync(
        NewRequest request,
        DateTimeOffset duplicateSince,
        Func<DataSubjectRequest, Decision> start,
        Func<DataSubjectRequest, CancellationToken, Task>? announce,
        CancellationToken cancellationToken)
    {
        var submitting = Stopwatch.StartNew();
        Stopwatch? waitingForClaimant = null;
        string? awaited = null;
        while (submitting.Elapsed < SubmitPatience)
        {
            // A claim whose request has not appeared within ClaimPatience is taken over, while it still names that request
            // (its submission failed or stopped after claiming); a claim that changed hands meanwhile is waited for afresh.
            var takeOverFrom = waitingForClaimant?.Elapsed >= ClaimPatience ? awaited : null;
            var step = await ClaimAsync(request, duplicateSince, start, takeOverFrom, cancellationToken).WaitAsync(cancellationToken);
            if (step.Claimed is { } prepared)
            {
                if (await WriteNewAsync(request, prepared, announce, step.Indexed, cancellationToken) is { } written)
                {
                    return written;
                }

                // An identical submission took the claim over while this one was being written (it took longer than
                // ClaimPatience) and fenced its request off: this one is answered as a repeat of that one.
                continue;
            }

            if (await GetAsync(step.DuplicateOf!, cancellationToken) is { } existing)
            {
                return new SubmitOutcome(existing, Created: false);
            }

            // The first identical submission claimed the fingerprint and is still writing its request: wait for it.
            if (!string.Equals(step.DuplicateOf, awaited, StringComparison.Ordinal))
            {
                awaited = step.DuplicateOf;
                waitingForClaimant = Stopwatch.StartNew();
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25), cancellationToken);
        }

        throw new TableStorageException($"Submitting request {request.Id}: the requests that claimed its fingerprint first never appeared; gave up after {(int)SubmitPatience.TotalSeconds} s.");
    }

    /// <summary>
    /// Writes the new request's partition (row, audit entries, work items) in one transaction. Its work stays on its work
    /// rows: its orchestration, told before the write (<paramref name="announce"/>), reads it from the request. When it
    /// cannot be told, the claim is released and nothing is written (the announcement's exception is thrown). Null when
    /// an identical submission took the claim over meanwhile and fenced this request off (<see cref="TableRows.Intake"/>):
    /// nothing of it is written, and its claim's other rows are released.
    /// </summary>
    private async Task<SubmitOutcome?> WriteNewAsync(
        NewRequest request,
        Prepared prepared,
        Func<DataSubjectRequest, CancellationToken, Task>? announce,
        Task<bool>? indexed,
        CancellationToken cancellationToken)
    {
        var (stored, rows) = prepared;
        var handedOver = announce is not null && stored.Progress.Owed.Count > 0;
        if (handedOver)
        {
            try
            {
                await announce!(stored, cancellationToken);
            }
            catch
            {
                await ReleaseClaimAsync(request, stored, indexed);
                throw;
            }
        }

        // From here the write is not cancelled with its caller (a browser that gave up): the orchestration was told and
        // waits for it, and the claim names it. A write refused for good gives the claim back, so a repeat is not taken
        // for a duplicate of a request that never appears.
        // Its inbox row was written with the claim; when that failed (or the claim's answer was lost), it is written after.
        var indexedBefore = indexed is not null && await indexed;
        var written = await store.Client.SubmitTransactionAsync(store.RequestsTable, rows.Select(TableOperation.Insert).ToList(), CancellationToken.None);
        var firstEntry = rows.Find(r => r.RowKey.StartsWith(TableRows.AuditPrefix, StringComparison.Ordinal));
        if (!written.Succeeded && !(await LandingAsync(store.Client, store.RequestsTable, rows[0].PartitionKey, TableRows.Request, rows[0].GetString("CommitId"), firstEntry, CancellationToken.None)).Landed)
        {
            await ReleaseClaimAsync(request, stored, indexed);
            if (written.FailedAt(rows.Count - 1, 409))
            {
                // Refused at its intake fence: another submission took its claim over, and nothing of it was written.
                return null;
            }

            throw new TableStorageException($"writing new request {request.Id}", written.Status, written.ErrorCode, null);
        }

        // Its row as written: its first decision commits on it without a read.
        if (written.Succeeded)
        {
            store.RememberRequestRow(rows[0], written.ETags.ElementAtOrDefault(0));
        }

        if (!indexedBefore)
        {
            await IndexNewAsync(stored, cancellationToken);
        }

        return new SubmitOutcome(stored, Created: true, handedOver);
    }

    public async Task<bool> CommitAsync(
        DataSubjectRequest updated,
        long expectedVersion,
        IReadOnlyList<AuditEntry> audit,
        CancellationToken cancellationToken)
    {
        IRequestStore.EnsureFits(1 + audit.Count, "state change");

        var partition = TableRows.RequestPartition(updated.Id);

        // Decided on this process's last read (or write) of the request: written on that read's ETag, with no query first.
        // Refused when the request changed since: then the partition is read and the commit decided on that, as below.
        string? triedCommit = null;
        var known = store.KnownRequestRow(partition);
        var recordedClosing = false;
        if (known is not null && known.GetInt64("Version") == expectedVersion)
        {
            // A commit that closes the request (or gives a closed one new work) records it first: see ListClosedWithRunAsync.
            await RecordClosingAsync(known, updated, cancellationToken);
            recordedClosing = StartsClosedRun(known, updated);
            var (written, commitId) = await WriteCommitAsync(known, updated, audit, cancellationToken);
            if (written)
            {
                return await AfterCommitAsync(updated, known, cancellationToken);
            }

            triedCommit = commitId;
        }

        // With the first audit entry's row, which tells whether a commit tried on the known ETag landed (below).
        var firstEntry = audit.Count > 0 ? AuditRow(audit[0]) : null;
        var current = await store.Client.QueryAsync(
            store.RequestsTable,
            $"{TableKeys.Partition(partition)} and (RowKey eq '{TableRows.Request}'"
                + (firstEntry is null ? string.Empty : $" or RowKey eq {TableKeys.Literal(firstEntry.RowKey)}")
                + ")",
            null,
            cancellationToken);
        var row = current.FirstOrDefault(e => e.RowKey == TableRows.Request);
        if (row is not null && triedCommit is not null && Landed(row, triedCommit, current.Find(e => e.RowKey == firstEntry?.RowKey), firstEntry))
        {
            // The write on the known ETag landed though its answer said otherwise (a send the client retried): it stands,
            // also when another writer's commit followed it before it could be read again (then the request row is theirs).
            var followed = !string.Equals(row.GetStringOrNull("CommitId"), triedCommit, StringComparison.Ordinal);
            return await AfterCommitAsync(updated, known!, cancellationToken, followed ? ReadRequest(updated.Id, row) : null);
        }

        if (row is null || row.GetInt64("Version") != expectedVersion)
        {
            return false;
        }

        if (!recordedClosing)
        {
            await RecordClosingAsync(row, updated, cancellationToken);
        }

        var commit = await WriteCommitAsync(row, updated, audit, cancellationToken);
        if (commit.Written)
        {
            return await AfterCommitAsync(updated, row, cancellationToken);
        }

        // 412 on the request row (or 409 on an audit entry someone else wrote): another writer was first.
        // After a retried send our own first attempt may be what changed it: then it is written, and stands whether or
        // not another writer's commit followed it (then the inbox shows the request as that commit left it).
        var (landed, latest) = await LandingAsync(store.Client, store.RequestsTable, partition, TableRows.Request, commit.CommitId, firstEntry, cancellationToken);
        if (!landed)
        {
            return false;
        }

        var otherFollowed = !string.Equals(latest?.GetStringOrNull("CommitId"), commit.CommitId, StringComparison.Ordinal);
        return await AfterCommitAsync(updated, row, cancellationToken, otherFollowed && latest is not null ? ReadRequest(updated.Id, latest) : null);
    }

    /// <summary>
    /// Writes a commit on <paramref name="before"/>'s ETag in one transaction: the request row (only what a state change
    /// may change: status, due date, progress (with the work the request owes), version, audit head) and its audit entries. Written is
    /// false when the transaction was refused; CommitId is the id the write gave the row either way.
    /// </summary>
    private async Task<(bool Written, string CommitId)> WriteCommitAsync(
        TableEntity before, DataSubjectRequest updated, IReadOnlyList<AuditEntry> audit, CancellationToken cancellationToken)
    {
        await EnterVerificationAsync(before, updated, cancellationToken);
        var row = AzureTableStore.CopyOf(before);

        // The closing time is the decision's, recorded once: by the commit that moves the request to a final status.
        if (RequestLifecycle.IsFinal(updated.Status) && !RequestLifecycle.IsFinal(WireNames.ParseStatus(before.GetString("Status"))))
        {
            row.Set(ClosedAtColumn, AuditChain.FormatInstant(updated.UpdatedAt));
        }

        SetFigures(row, updated);
        row.Set("Status", updated.Status.Name())
            .Set("DueOn", FormatDate(updated.Deadline.DueOn))
            .SetText("Progress", WorkflowJson.Serialize(updated.Progress))
            .SetText("DataPoints", DataPointsText(updated.DataPoints))
            .Set("Version", updated.Version)
            .Set("UpdatedAt", AuditChain.FormatInstant(updated.UpdatedAt))
            .Set("AuditSequence", updated.AuditHead.Sequence)
            .Set("AuditHead", updated.AuditHead.Hash);
        row.Set(RunEndedColumn, updated.RunEnded);
        var commitId = NewCommitId();
        row.Set("CommitId", commitId);
        row.Description = $"request {updated.Id}";
        var operations = new List<TableOperation> { TableOperation.Replace(row, before.ETag!) };
        operations.AddRange(audit.Select(e => TableOperation.Insert(AuditRow(e))));

        // Nothing else is written for the work the request owes (it is in the request row): a step of the request's
        // orchestration (the committer) hands it back (its engine records it in the process), or reads it from the
        // request when it runs again after a run that died; a decision made outside the orchestration told it before the
        // commit (durably: a message of the task hub), and it reads the work from the request once the commit has landed.
        var result = await store.Client.SubmitTransactionAsync(store.RequestsTable, operations, cancellationToken);
        if (!result.Succeeded)
        {
            return (false, commitId);
        }

        // The request row as written, with its ETag: this process's next commit of the request writes on it without a read.
        store.RememberRequestRow(row, result.ETags.ElementAtOrDefault(0));

        return (true, commitId);
    }

    /// <summary>
    /// The clean-ups after a commit of <paramref name="updated"/>, decided on the row as it stood before it
    /// (<paramref name="before"/>); the inbox row shows <paramref name="latest"/> when another writer's commit followed
    /// this one before it could be read again (this commit's is older).
    /// </summary>
    private async Task<bool> AfterCommitAsync(DataSubjectRequest updated, TableEntity before, CancellationToken cancellationToken, DataSubjectRequest? latest = null)
    {
        var beforeStatus = WireNames.ParseStatus(before.GetString("Status"));
        var leavesVerification = MayAwaitVerification(beforeStatus) && !MayAwaitVerification(updated.Status);
        var previousDueOn = ParseDate(before.GetString("DueOn"));

        // The clean-ups after the commit are independent of each other: side by side. The inbox row follows the request,
        // unless the commit left what it lists as it was (see IndexAfterCommitAsync).
        var listedAsBefore = latest is null
            && before.GetInt64("Version") > 1
            && previousDueOn == updated.Deadline.DueOn
            && beforeStatus == updated.Status;
        var after = new List<Task>(4);
        if (!listedAsBefore)
        {
            after.Add(IndexAfterCommitAsync(latest ?? updated, previousDueOn, cancellationToken));
        }

        if (RequestLifecycle.IsFinal(updated.Status) && !RequestLifecycle.IsFinal(beforeStatus))
        {
            // Its open-list row goes with the commit that closes it (the later commits of a closed request, its work
            // carried out, have nothing to remove: nothing lists those rows, so one a crash left behind is never read).
            after.Add(store.Client.ExecuteAsync(
                store.LookupsTable, TableOperation.Delete(TableRows.LookupPartition, TableRows.OpenPrefix + TableKeys.Escape(updated.Id), "*"), cancellationToken, 404));
        }

        if (leavesVerification)
        {
            after.Add(RemoveWaitingEntryAsync(updated.Email, updated.Id, cancellationToken));
        }

        // Written before the commit too; again here, as a reader between the two may have pruned it (the request had
        // not come back yet then).
        after.Add(EnterVerificationAsync(before, updated, cancellationToken));

        await Task.WhenAll(after);
        return true;
    }

    /// <summary>
    /// Open requests in the inbox order, read through the inbox index (a range read of it and point reads of the
    /// requests it lists, page by page) rather than every open request: what the staff API's list, the digest and the
    /// console's sources page read.
    /// </summary>
    public async Task<IReadOnlyList<DataSubjectRequest>> ListOpenAsync(int max, CancellationToken cancellationToken) =>
        (await ListOpenPageAsync(max, null, cancellationToken)).Items;

    /// <summary>
    /// A page of the open requests after the cursor, through the inbox index: each reading keeps only the requests that
    /// are still open and listed where they belong (an entry left behind by a crash is repaired on the way, and the
    /// request shows again from the next reading), so a reading may come back short and the next one is read until the
    /// page is full or the index has no more.
    /// </summary>
    public async Task<OpenRequestPage> ListOpenPageAsync(int max, OpenRequestCursor? after, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var items = new List<DataSubjectRequest>(Math.Min(max, OpenListReading));
        var cursor = after;
        while (items.Count < max)
        {
            var reading = await InboxReader.ReadAsync(this, this, AllOpen, cursor, Math.Min(max - items.Count, OpenListReading), null, cancellationToken);
            items.AddRange(reading.Requests);
            if (reading.Next is not { } next)
            {
                return new OpenRequestPage(items, null);
            }

            if (cursor is not null && !cursor.IsBefore(next))
            {
                // A reading that would start where this one did would be read again for ever.
                throw new InvalidOperationException("The inbox index returned a next place that does not move past the one it was read from.");
            }

            cursor = next;
        }

        return new OpenRequestPage(items, cursor);
    }

    /// <summary>
    /// Completed requests of a type: a query across the requests table on the request rows' own
    /// properties (type and status), so it reads each matching request once; oldest first.
    /// </summary>
    public async Task<IReadOnlyList<DataSubjectRequest>> ListCompletedAsync(RequestType type, int max, CancellationToken cancellationToken)
    {
        var filter = $"RowKey eq {TableKeys.Literal(TableRows.Request)} and Type eq {TableKeys.Literal(type.Name())} and Status eq {TableKeys.Literal(RequestStatus.Completed.Name())}";
        var rows = await store.Client.QueryAsync(store.RequestsTable, filter, null, cancellationToken);
        return [.. rows.Select(r => ReadRequest(TableKeys.Unescape(r.PartitionKey), r)).OrderBy(r => r.ReceivedAt).ThenBy(r => r.Id, StringComparer.Ordinal).Take(max)];
    }

    /// <summary>
    /// The figures of the requests received in a period: one query across the requests table on the request rows' own
    /// properties (<c>ReceivedAt</c> is stored as fixed-width UTC text, so a string range is a time range), reading only
    /// the columns the figures need. The server still scans the table (each request is its own partition, so no key
    /// range selects a period); an index by month of receipt in the lookups partition would make it a range read of
    /// one partition, at the cost of one more row written with every new request.
    /// A request row written before its figures' columns existed is read in full, its closing time from its audit trail.
    /// </summary>
    public async Task<IReadOnlyList<RequestFigures>> ListReceivedAsync(DateTimeOffset from, DateTimeOffset to, int max, CancellationToken cancellationToken)
    {
        var filter = $"RowKey eq {TableKeys.Literal(TableRows.Request)} and ReceivedAt ge {TableKeys.Literal(AuditChain.FormatInstant(from))} and ReceivedAt lt {TableKeys.Literal(AuditChain.FormatInstant(to))}";
        var rows = await store.Client.QueryAsync(store.RequestsTable, filter, null, cancellationToken, FigureColumns);
        var figures = new RequestFigures?[rows.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, rows.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (i, token) => figures[i] = rows[i].Properties.ContainsKey(ExtendedColumn)
                ? ReadFigures(TableKeys.Unescape(rows[i].PartitionKey), rows[i])
                : await ReadFiguresInFullAsync(TableKeys.Unescape(rows[i].PartitionKey), token));
        return [.. figures.OfType<RequestFigures>().OrderBy(f => f.ReceivedAt).ThenBy(f => f.Id, StringComparer.Ordinal).Take(max)];
    }

    /// <summary>The request from the row this process last read or wrote (no call), or read when it knows none.</summary>
    public Task<DataSubjectRequest?> GetRecentAsync(string id, CancellationToken cancellationToken) =>
        store.KnownRequestRow(TableRows.RequestPartition(id)) is { } row
            ? Task.FromResult<DataSubjectRequest?>(ReadRequest(id, row))
            : GetAsync(id, cancellationToken);

    public async Task<DataSubjectRequest?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (await store.Client.GetAsync(store.RequestsTable, TableRows.RequestPartition(id), TableRows.Request, cancellationToken) is not { } row)
        {
            return null;
        }

        // A decision taken on this read commits on its ETag, without reading the request again.
        store.RememberRequestRow(row, row.ETag);
        return ReadRequest(id, row);
    }

    public async Task<RequestWithOpenWork?> GetWithOpenWorkAsync(string id, CancellationToken cancellationToken) =>
        await ReadWithOpenWorkAsync(id, cancellationToken) is { } read ? read.Standing : null;

    public async Task<RequestWithOpenWork?> EndRunAsync(string id, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            if (await ReadWithOpenWorkAsync(id, cancellationToken) is not { } read)
            {
                return null;
            }

            var (standing, row) = read;
            if (standing.Request.RunEnded || standing.OpenWork.Count > 0 || !RequestLifecycle.IsFinal(standing.Request.Status) || TimerWork.Waiting(standing.Request).Count > 0)
            {
                return standing;
            }

            // Closed with nothing left: the run ends, and the version moves on so a decision read before cannot commit.
            var ended = standing.Request with { Version = standing.Request.Version + 1, RunEnded = true };
            row.Set("Version", ended.Version).Set(RunEndedColumn, true).Set("CommitId", NewCommitId());
            var written = await store.Client.SubmitTransactionAsync(store.RequestsTable, [TableOperation.Replace(row, row.ETag!)], cancellationToken);
            if (written.Succeeded || (await LandingAsync(store.Client, store.RequestsTable, row.PartitionKey, TableRows.Request, row.GetString("CommitId"), null, cancellationToken)).Landed)
            {
                store.RememberRequestRow(row, written.ETags.ElementAtOrDefault(0));
                return standing with { Request = ended };
            }

            // A commit landed since the read: read again.
        }

        throw new TableStorageException($"Ending the run of request {id}: it kept changing; gave up after {MaxAttempts} attempts.");
    }

    /// <summary>The request and its open work (the work it owes, <see cref="RequestProgress.Owed"/>), with the request's row as read.</summary>
    private async Task<(RequestWithOpenWork Standing, TableEntity Row)?> ReadWithOpenWorkAsync(string id, CancellationToken cancellationToken)
    {
        var rows = await store.Client.QueryAsync(
            store.RequestsTable,
            $"{TableKeys.Partition(TableRows.RequestPartition(id))} and RowKey eq {TableKeys.Literal(TableRows.Request)}",
            null,
            cancellationToken);
        if (rows.FirstOrDefault() is not { } row)
        {
            return null;
        }

        store.RememberRequestRow(row, row.ETag);
        var request = ReadRequest(id, row);
        var open = request.Progress.Owed
            .Select(owed => owed.For(id))
            .OrderBy(item => item.NotBefore)
            .ThenBy(item => item.Id, StringComparer.Ordinal)
            .ToList();
        return (new RequestWithOpenWork(request, open), row);
    }

    public async Task<DataSubjectRequest?> FindByStatusTokenHashAsync(string statusTokenHash, CancellationToken cancellationToken)
    {
        var index = await store.Client.GetAsync(
            store.LookupsTable, TableRows.LookupPartition, TableRows.TokenPrefix + TableKeys.Escape(statusTokenHash), cancellationToken);
        if (index is null || await GetAsync(index.GetString("RequestId"), cancellationToken) is not { } request)
        {
            return null;
        }

        return string.Equals(request.StatusTokenHash, statusTokenHash, StringComparison.Ordinal) ? request : null;
    }

    public async Task<IReadOnlyList<AuditEntry>> GetAuditTrailAsync(string id, CancellationToken cancellationToken)
    {
        var rows = await store.Client.QueryAsync(
            store.RequestsTable, $"{TableKeys.Partition(TableRows.RequestPartition(id))} and {TableKeys.RowKeyPrefix(TableRows.AuditPrefix)}", null, cancellationToken);
        return rows.Select(e => ReadAuditRow(id, e)).ToList();
    }

    /// <summary>An audit entry as <see cref="AuditRow"/> stored it (request trails and system chains alike).</summary>
    internal static AuditEntry ReadAuditRow(string chain, TableEntity e) => new(
        chain,
        e.GetInt64("Sequence"),
        AuditChain.ParseInstant(e.GetString("At")),
        e.GetString("Actor"),
        e.GetString("Action"),
        e.GetStringOrNull("FromStatus"),
        e.GetStringOrNull("ToStatus"),
        e.GetText("Details") ?? string.Empty,
        e.GetString("PreviousHash"),
        e.GetString("Hash"));

    /// <summary>The new request as the SQLite store builds it: reference, "received" entry, then what the first decision says.</summary>
    private static Prepared Prepare(
        NewRequest request, int year, long number, Func<DataSubjectRequest, Decision> start)
    {
        var (stored, entries) = FirstWrite.Prepare(request, RequestReference.Format(year, number), start);
        IRequestStore.EnsureFits(2 + entries.Count, "new request");
        var rows = new List<TableEntity> { RequestRow(stored) };
        rows.AddRange(entries.Select(AuditRow));

        // The fence (last: the request row stays first): refused, and the request with it, when a submission that took
        // over the fingerprint's claim wrote it first.
        rows.Add(new TableEntity(TableRows.RequestPartition(stored.Id), TableRows.Intake) { Description = $"intake fence of request {stored.Id}" }
            .Set(WrittenColumn, true));
        return new Prepared(stored, rows);
    }

    private sealed record Prepared(DataSubjectRequest Stored, List<TableEntity> Rows);

    /// <summary>
    /// After a refused transaction that wrote a head row (<paramref name="headKey"/>: a request's row, a chain's head)
    /// marked <paramref name="commitId"/> and, first among its audit entries, <paramref name="firstEntry"/>: whether it
    /// landed though its answer was lost (the refusal answered the client's retry of it), read in one call with the head
    /// as it stands now. See <see cref="Landed"/>.
    /// </summary>
    internal static async Task<(bool Landed, TableEntity? Head)> LandingAsync(
        TableGateway client, string table, string partition, string headKey, string commitId, TableEntity? firstEntry, CancellationToken cancellationToken)
    {
        var rows = await client.QueryAsync(
            table,
            $"{TableKeys.Partition(partition)} and (RowKey eq {TableKeys.Literal(headKey)}" + (firstEntry is null ? ")" : $" or RowKey eq {TableKeys.Literal(firstEntry.RowKey)})"),
            null,
            cancellationToken);
        var head = rows.Find(r => r.RowKey == headKey);
        return (Landed(head, commitId, rows.Find(r => r.RowKey == firstEntry?.RowKey), firstEntry), head);
    }

    /// <summary>
    /// True when the head row carries <paramref name="commitId"/> (nothing was written since), or the first audit entry the
    /// commit wrote is stored as written (<paramref name="storedEntry"/> holds <paramref name="firstEntry"/>'s hash). An
    /// audit row is written once, by the transaction of its commit, and never changed, so it tells whether that commit
    /// landed even after a later commit rewrote the head. An entry another writer wrote at the same place holds another
    /// hash, unless it is the same entry (the same decision on the same state, at the same time, by the same actor).
    /// </summary>
    private static bool Landed(TableEntity? head, string commitId, TableEntity? storedEntry, TableEntity? firstEntry) =>
        (head is not null && string.Equals(head.GetStringOrNull("CommitId"), commitId, StringComparison.Ordinal))
        || (firstEntry is not null && storedEntry is not null && string.Equals(storedEntry.GetStringOrNull("Hash"), firstEntry.GetStringOrNull("Hash"), StringComparison.Ordinal));

    /// <summary>A fresh id for each write of a request row, so a writer can recognise its own write.</summary>
    internal static string NewCommitId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));

    /// <summary>On a request's intake fence: true when its request wrote it; a submission that took over the claim writes <see cref="TakenOverByColumn"/>.</summary>
    private const string WrittenColumn = "Written";
    private const string TakenOverByColumn = "TakenOverBy";

    private const string ClosedAtColumn = "ClosedAt";
    private const string RunEndedColumn = "RunEnded";
    private const string ExtendedColumn = "Extended";

    /// <summary>The request row's columns <see cref="ReadFigures"/> reads (no personal data among them).</summary>
    private static readonly string[] FigureColumns =
        ["Type", "Status", "Jurisdiction", "ReceivedAt", "ReceivedOn", "DueOn", ClosedAtColumn, ExtendedColumn, "ClockStopped", "InPart", "Rejection"];

    /// <summary>
    /// What the metrics need of the request's progress, kept as columns of its own row (rewritten with every state
    /// change), so a period's figures are read without its progress, details or personal data.
    /// </summary>
    private static TableEntity SetFigures(TableEntity row, DataSubjectRequest r)
    {
        var figures = RequestFigures.Of(r, closedAt: null);
        return row
            .Set(ExtendedColumn, figures.Extended)
            .Set("ClockStopped", figures.ClockStopped)
            .Set("InPart", figures.CompletedInPart)
            .Set("Rejection", figures.Rejection?.Name());
    }

    private static RequestFigures ReadFigures(string id, TableEntity e) => new(
        id,
        WireNames.ParseType(e.GetString("Type")),
        WireNames.ParseJurisdiction(e.GetString("Jurisdiction")),
        WireNames.ParseStatus(e.GetString("Status")),
        AuditChain.ParseInstant(e.GetString("ReceivedAt")),
        ParseDate(e.GetString("ReceivedOn")),
        ParseDate(e.GetString("DueOn")),
        e.GetStringOrNull(ClosedAtColumn) is { } closedAt ? AuditChain.ParseInstant(closedAt) : null,
        e.GetBoolean(ExtendedColumn),
        e.GetBoolean("ClockStopped"),
        e.GetBoolean("InPart"),
        WireNames.TryParseRejectionReason(e.GetStringOrNull("Rejection"), out var reason) ? reason : null);

    /// <summary>The figures of a request whose row has no figure columns: from the whole request, closed when its trail says it moved to a final status.</summary>
    private async Task<RequestFigures?> ReadFiguresInFullAsync(string id, CancellationToken cancellationToken)
    {
        if (await GetAsync(id, cancellationToken) is not { } request)
        {
            return null;
        }

        DateTimeOffset? closedAt = null;
        if (RequestLifecycle.IsFinal(request.Status))
        {
            var trail = await GetAuditTrailAsync(id, cancellationToken);
            closedAt = trail.FirstOrDefault(e => WireNames.TryParseStatus(e.ToStatus, out var to) && RequestLifecycle.IsFinal(to))?.At;
        }

        return RequestFigures.Of(request, closedAt);
    }

    private static TableEntity RequestRow(DataSubjectRequest r) =>
        SetFigures(new TableEntity(TableRows.RequestPartition(r.Id), TableRows.Request) { Description = $"request {r.Id}" }, r)
            .Set(ClosedAtColumn, RequestLifecycle.IsFinal(r.Status) ? AuditChain.FormatInstant(r.UpdatedAt) : null)
            .Set("Reference", r.Reference)
            .Set("Type", r.Type.Name())
            .Set("Status", r.Status.Name())
            .Set("Jurisdiction", r.Jurisdiction.Name())
            .Set("Channel", r.Channel.Name())
            .SetText("Email", r.Email)
            .SetText("FullName", r.FullName)
            .SetText("AccountReference", r.AccountReference)
            .SetText("Details", r.Details)
            .Set("ReceivedAt", AuditChain.FormatInstant(r.ReceivedAt))
            .Set("Regime", r.Deadline.RegimeKey)
            .Set("ReceivedOn", FormatDate(r.Deadline.ReceivedOn))
            .Set("DueOn", FormatDate(r.Deadline.DueOn))
            .Set("AcknowledgeBy", r.Deadline.AcknowledgeBy is { } ack ? FormatDate(ack) : null)
            .Set("StatusTokenHash", r.StatusTokenHash)
            .Set("Fingerprint", r.Fingerprint)
            .Set("Version", r.Version)
            .Set("UpdatedAt", AuditChain.FormatInstant(r.UpdatedAt))
            .Set("AuditSequence", r.AuditHead.Sequence)
            .Set("AuditHead", r.AuditHead.Hash)
            .SetText("Progress", WorkflowJson.Serialize(r.Progress))
            .SetText("DataPoints", DataPointsText(r.DataPoints))
            .Set("CommitId", NewCommitId());

    /// <summary>The details a requester gave, kept with the request only until matched (then null, and the column empty).</summary>
    private static string? DataPointsText(IReadOnlyList<GivenDataPoint>? given) => given is null ? null : WorkflowJson.Serialize(given);

    private static DataSubjectRequest ReadRequest(string id, TableEntity e) => new()
    {
        Id = id,
        Reference = e.GetString("Reference"),
        Type = WireNames.ParseType(e.GetString("Type")),
        Status = WireNames.ParseStatus(e.GetString("Status")),
        Jurisdiction = WireNames.ParseJurisdiction(e.GetString("Jurisdiction")),
        Channel = WireNames.ParseChannel(e.GetString("Channel")),
        Email = e.GetText("Email") ?? string.Empty,
        FullName = e.GetText("FullName") ?? string.Empty,
        AccountReference = e.GetText("AccountReference"),
        Details = e.GetText("Details"),
        ReceivedAt = AuditChain.ParseInstant(e.GetString("ReceivedAt")),
        Deadline = new Deadline(
            e.GetString("Regime"),
            ParseDate(e.GetString("ReceivedOn")),
            ParseDate(e.GetString("DueOn")),
            e.GetStringOrNull("AcknowledgeBy") is { } ack ? ParseDate(ack) : null),
        StatusTokenHash = e.GetString("StatusTokenHash"),
        Fingerprint = e.GetString("Fingerprint"),
        Version = e.GetInt64("Version"),
        UpdatedAt = AuditChain.ParseInstant(e.GetString("UpdatedAt")),
        AuditHead = new AuditHead(e.GetInt64("AuditSequence"), e.GetString("AuditHead")),
        Progress = WorkflowJson.Deserialize<RequestProgress>(e.GetText("Progress") ?? "{}"),
        DataPoints = e.GetText("DataPoints") is { } given ? WorkflowJson.Deserialize<List<GivenDataPoint>>(given) : null,
        RunEnded = e.GetBoolean(RunEndedColumn),
    };

    /// <summary>An audit entry's row in its chain's partition (a request's, or a system chain's).</summary>
    internal static TableEntity AuditRow(AuditEntry e) =>
        new TableEntity(TableRows.RequestPartition(e.RequestId), TableRows.Audit(e.Sequence)) { Description = $"audit entry {e.Sequence} of request {e.RequestId}" }
            .Set("Sequence", e.Sequence)
            .Set("At", AuditChain.FormatInstant(e.At))
            .Set("Actor", e.Actor)
            .Set("Action", e.Action)
            .Set("FromStatus", e.FromStatus)
            .Set("ToStatus", e.ToStatus)
            .SetText("Details", e.Details)
            .Set("PreviousHash", e.PreviousHash)
            .Set("Hash", e.Hash);

    private static string FormatDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
