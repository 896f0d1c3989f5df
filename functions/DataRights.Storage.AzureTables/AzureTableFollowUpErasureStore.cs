using System.Globalization;
using DataRights.Core.Audit;
using DataRights.Core.Requests;
using DataRights.Core.Retention;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// Follow-up erasures in their request's partition, so finishing one, auditing it on the request's trail and
/// recording the next ones is one entity-group transaction guarded by the request row's ETag. A due index
/// in the lookups table (keyed by due day, holding the whole follow-up) finds the due ones without reading
/// every request: it is written before the follow-up itself and tidied after, so it always names at least
/// the follow-ups that are due. <see cref="DueAsync"/> checks each against its request's partition: it writes
/// one that scheduling left only in the index (a crash in between), skips one indexed for a commit that has
/// not landed (dropping it once a day old), and drops index rows of follow-ups already finished.
/// </summary>
public sealed class AzureTableFollowUpErasureStore(AzureTableStore store) : IFollowUpErasureStore
{
    /// <summary>On index rows written by <see cref="RecordAsync"/>: the commit that writes the follow-up itself.</summary>
    private const string PendingCommit = "PendingCommit";

    /// <summary>Far longer than any commit takes, retries included.</summary>
    private static readonly TimeSpan StaleIndex = TimeSpan.FromDays(1);

    public async Task ScheduleAsync(FollowUpErasure followUp, CancellationToken cancellationToken)
    {
        await store.Client.ExecuteAsync(store.LookupsTable, TableOperation.Insert(IndexRow(followUp)), cancellationToken, 409);
        await store.Client.ExecuteAsync(store.RequestsTable, TableOperation.Insert(Row(followUp)), cancellationToken, 409);
    }

    public async Task<IReadOnlyList<FollowUpErasure>> DueAsync(DateOnly today, CancellationToken cancellationToken)
    {
        var index = await store.Client.QueryAsync(
            store.LookupsTable,
            $"{TableKeys.Partition(TableRows.FollowUpPartition)} and RowKey lt {TableKeys.Literal(Day(today.AddDays(1)))}",
            null,
            cancellationToken);
        var found = new FollowUpErasure?[index.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, index.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (i, token) => found[i] = await CheckAsync(index[i], token));
        return found
            .OfType<FollowUpErasure>()
            .OrderBy(f => f.DueOn)
            .ThenBy(f => f.Id, StringComparer.Ordinal)
            .ToList();
    }

    public async Task<IReadOnlyList<FollowUpErasure>> ListAsync(string? requestId, int max, CancellationToken cancellationToken)
    {
        // All requests' follow-ups: a query across the requests table on the key prefix (staff listing only).
        var filter = requestId is null
            ? TableKeys.RowKeyPrefix(TableRows.FollowUpPrefix)
            : $"{TableKeys.Partition(TableRows.RequestPartition(requestId))} and {TableKeys.RowKeyPrefix(TableRows.FollowUpPrefix)}";
        var rows = await store.Client.QueryAsync(store.RequestsTable, filter, null, cancellationToken);
        return rows
            .Select(Read)
            .OrderByDescending(f => f.DueOn)
            .ThenBy(f => f.Id, StringComparer.Ordinal)
            .Take(max)
            .ToList();
    }

    public async Task<bool> RecordAsync(
        FollowUpErasure followUp,
        DataSubjectRequest request,
        long expectedVersion,
        IReadOnlyList<AuditEntry> audit,
        IReadOnlyList<FollowUpErasure> next,
        CancellationToken cancellationToken)
    {
        FollowUpErasure.EnsureFits(audit.Count, next.Count);

        if (next.Prepend(followUp).FirstOrDefault(f => f.RequestId != request.Id) is { } foreign)
        {
            throw new ArgumentException($"Follow-up {foreign.Id} belongs to request {foreign.RequestId}, not {request.Id}.", nameof(next));
        }

        // The index first, so it names every follow-up that may exist; marked with this commit, so that
        // if the commit does not happen the index row is not taken for a follow-up to write.
        var commitId = AzureTableRequestStore.NewCommitId();
        foreach (var f in next)
        {
            var index = IndexRow(f).Set(PendingCommit, commitId).Set("IndexedAt", AuditChain.FormatInstant(store.Time.GetUtcNow()));
            await store.Client.ExecuteAsync(store.LookupsTable, TableOperation.Insert(index), cancellationToken, 409);
        }

        var partition = TableRows.RequestPartition(request.Id);
        var current = await store.Client.QueryAsync(
            store.RequestsTable,
            $"{TableKeys.Partition(partition)} and (RowKey eq '{TableRows.Request}' or ({TableKeys.RowKeyPrefix(TableRows.FollowUpPrefix)}))",
            null,
            cancellationToken);
        var row = current.FirstOrDefault(e => e.RowKey == TableRows.Request);
        if (row is null || row.GetInt64("Version") != expectedVersion)
        {
            return false;
        }

        // Only what the SQLite store's UPDATE changes: version, time and audit head.
        var update = new TableEntity(partition, TableRows.Request) { Description = $"request {request.Id}" }
            .Set("Version", request.Version)
            .Set("UpdatedAt", AuditChain.FormatInstant(request.UpdatedAt))
            .Set("AuditSequence", request.AuditHead.Sequence)
            .Set("AuditHead", request.AuditHead.Hash)
            .Set("CommitId", commitId);
        var present = current.Select(e => e.RowKey).ToHashSet(StringComparer.Ordinal);
        var operations = new List<TableOperation> { TableOperation.Merge(update, row.ETag!) };
        operations.AddRange(audit.Select(e => TableOperation.Insert(AzureTableRequestStore.AuditRow(e))));
        operations.Add(TableOperation.Upsert(Row(followUp)));
        operations.AddRange(next.Where(f => present.Add(Key(f))).Select(f => TableOperation.Insert(Row(f))));
        var result = await store.Client.SubmitTransactionAsync(store.RequestsTable, operations, cancellationToken);
        if (!result.Succeeded && !(await AzureTableRequestStore.LandingAsync(
            store.Client, store.RequestsTable, partition, TableRows.Request, commitId, audit.Count > 0 ? AzureTableRequestStore.AuditRow(audit[0]) : null, cancellationToken)).Landed)
        {
            return false;
        }

        if (followUp.State is FollowUpErasure.Done or FollowUpErasure.Failed)
        {
            // Tidying only: a row left behind is dropped by the next DueAsync.
            await store.Client.ExecuteAsync(store.LookupsTable, TableOperation.Delete(TableRows.FollowUpPartition, IndexKey(followUp), "*"), cancellationToken, 404);
        }

        return true;
    }

    /// <summary>The follow-up an index row names, if it is still to be done (writing it when only the index has it).</summary>
    private async Task<FollowUpErasure?> CheckAsync(TableEntity index, CancellationToken cancellationToken)
    {
        var indexed = Read(index);
        var row = await store.Client.GetAsync(store.RequestsTable, TableRows.RequestPartition(indexed.RequestId), Key(indexed), cancellationToken);
        if (row is null && index.GetStringOrNull(PendingCommit) is null)
        {
            // Scheduling stopped between the index and the follow-up: finish it.
            await store.Client.ExecuteAsync(store.RequestsTable, TableOperation.Insert(Row(indexed)), cancellationToken, 409);
            return indexed;
        }

        if (row is null)
        {
            // Indexed for a follow-up's commit that has not landed: still in flight, or refused (then the
            // follow-up that was being finished is tried again and indexes it anew). Dropped once surely stale.
            if (AuditChain.ParseInstant(index.GetString("IndexedAt")) < store.Time.GetUtcNow() - StaleIndex)
            {
                await store.Client.ExecuteAsync(store.LookupsTable, TableOperation.Delete(TableRows.FollowUpPartition, index.RowKey, index.ETag!), cancellationToken, 404, 412);
            }

            return null;
        }

        var followUp = Read(row);
        if (followUp.State is FollowUpErasure.Pending or FollowUpErasure.Held)
        {
            return followUp;
        }

        await store.Client.ExecuteAsync(store.LookupsTable, TableOperation.Delete(TableRows.FollowUpPartition, index.RowKey, "*"), cancellationToken, 404);
        return null;
    }

    private static string Key(FollowUpErasure f) => TableRows.FollowUpPrefix + TableKeys.Escape(f.Id);

    private static string IndexKey(FollowUpErasure f) => Day(f.DueOn) + "_" + TableKeys.Escape(f.Id);

    private static string Day(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static TableEntity Row(FollowUpErasure f) => Fill(new TableEntity(TableRows.RequestPartition(f.RequestId), Key(f)) { Description = $"follow-up erasure {f.Id}" }, f);

    private static TableEntity IndexRow(FollowUpErasure f) => Fill(new TableEntity(TableRows.FollowUpPartition, IndexKey(f)) { Description = $"due index of follow-up erasure {f.Id}" }, f);

    private static TableEntity Fill(TableEntity e, FollowUpErasure f) =>
        e.Set("Id", f.Id)
            .Set("RequestId", f.RequestId)
            .Set("SourceKey", f.SourceKey)
            .Set("Category", f.Category)
            .Set("DueOn", f.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
            .Set("State", f.State)
            .Set("CreatedAt", AuditChain.FormatInstant(f.CreatedAt))
            .Set("UpdatedAt", AuditChain.FormatInstant(f.UpdatedAt))
            .SetText("Note", f.Note);

    private static FollowUpErasure Read(TableEntity e) => new(
        e.GetString("Id"),
        e.GetString("RequestId"),
        e.GetString("SourceKey"),
        e.GetString("Category"),
        DateOnly.ParseExact(e.GetString("DueOn"), "yyyy-MM-dd", CultureInfo.InvariantCulture),
        e.GetString("State"),
        AuditChain.ParseInstant(e.GetString("CreatedAt")),
        AuditChain.ParseInstant(e.GetString("UpdatedAt")),
        e.GetText("Note"));
}
