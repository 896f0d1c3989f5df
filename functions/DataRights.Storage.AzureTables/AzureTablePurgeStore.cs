using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DataRights.Core.Audit;
using DataRights.Core.Retention;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// Purge runs and their report rows in the retention partition; a row reaching its final state, a run's
/// start and its end are audited in the retention chain in the same transaction. Report rows are keyed by
/// a fixed-width hash of their run (so one run's rows are one key range) and then by source and item.
/// </summary>
public sealed class AzureTablePurgeStore(AzureTableStore store) : IPurgeStore
{
    private const int MaxVerifyAttempts = 20;
    private readonly RetentionPartition _partition = new(store);

    public async Task<PurgeRun> StartAsync(PurgeRun run, AuditDraft started, CancellationToken cancellationToken)
    {
        if (await GetAsync(run.Id, cancellationToken) is { } existing)
        {
            return existing;
        }

        var refused = await _partition.WriteAsync([TableOperation.Insert(RunRow(run))], [started], cancellationToken);
        if (refused is null)
        {
            return run;
        }

        // Another instance started the same occurrence between our read and our write: theirs stands.
        return refused.Status == 409 && await GetAsync(run.Id, cancellationToken) is { } theirs
            ? theirs
            : throw new TableStorageException($"starting purge run {run.Id}", refused.Status, refused.ErrorCode, null);
    }

    public async Task<PurgeRun?> GetAsync(string id, CancellationToken cancellationToken) =>
        await _partition.Client.GetAsync(_partition.Table, RetentionPartition.Key, RunKey(id), cancellationToken) is { } row ? ReadRun(row) : null;

    public async Task<IReadOnlyList<PurgeRun>> ListAsync(int max, CancellationToken cancellationToken)
    {
        var rows = await _partition.QueryAsync(RetentionPartition.RunPrefix, null, cancellationToken);
        return rows.Select(ReadRun).OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal).Take(max).ToList();
    }

    public async Task<IReadOnlyList<PurgeRow>> RowsAsync(string runId, CancellationToken cancellationToken)
    {
        var rows = await _partition.QueryAsync(RowsOf(runId), null, cancellationToken);
        return rows
            .Select(ReadRow)
            .Where(r => r.RunId == runId)
            .OrderBy(r => r.SourceKey, StringComparer.Ordinal)
            .ThenByDescending(r => r.Kind, StringComparer.Ordinal)
            .ThenBy(r => r.Item, StringComparer.Ordinal)
            .ToList();
    }

    public async Task SaveRowAsync(PurgeRow row, AuditDraft? audit, CancellationToken cancellationToken)
    {
        if (await _partition.WriteAsync([TableOperation.Upsert(ReportRow(row))], audit is null ? [] : [audit], cancellationToken) is { } refused)
        {
            throw new TableStorageException($"saving a report row of purge run {row.RunId}", refused.Status, refused.ErrorCode, null);
        }
    }

    public async Task<bool> SaveRowIfAsync(PurgeRow row, string expectedState, AuditDraft audit, CancellationToken cancellationToken)
    {
        var current = await _partition.Client.GetAsync(_partition.Table, RetentionPartition.Key, RowKey(row), cancellationToken);
        if (current is null || current.GetString("State") != expectedState)
        {
            return false;
        }

        // Conditional on the row as read: a concurrent answer that changed it first makes this one fail (412), writing nothing.
        var refused = await _partition.WriteAsync([TableOperation.Replace(ReportRow(row), current.ETag!)], [audit], cancellationToken);
        return refused switch
        {
            null => true,
            { Status: 412 or 404 } => false,
            _ => throw new TableStorageException($"saving a report row of purge run {row.RunId}", refused.Status, refused.ErrorCode, null),
        };
    }

    public async Task FinishAsync(string runId, string status, DateTimeOffset at, AuditDraft finished, CancellationToken cancellationToken)
    {
        // Merge: only the run's status and end, as the SQLite store's UPDATE (a run that is not there stays absent).
        var update = new TableEntity(RetentionPartition.Key, RunKey(runId)) { Description = $"purge run {runId}" }
            .Set("Status", status)
            .Set("FinishedAt", AuditChain.FormatInstant(at));
        var refused = await _partition.WriteAsync([TableOperation.Merge(update, "*")], [finished], cancellationToken);
        if (refused is { Status: 404 })
        {
            refused = await _partition.WriteAsync([], [finished], cancellationToken);
        }

        if (refused is not null)
        {
            throw new TableStorageException($"finishing purge run {runId}", refused.Status, refused.ErrorCode, null);
        }
    }

    public Task<IReadOnlyList<AuditEntry>> AuditTrailAsync(string? runId, CancellationToken cancellationToken) => _partition.AuditAsync(runId, cancellationToken);

    public async Task<AuditVerification> VerifyAuditAsync(CancellationToken cancellationToken)
    {
        // No snapshot across reads here: read the head, the chain, and the head again; an append in between
        // (a changed head) means reading again, so it never looks like tampering.
        for (var attempt = 1; attempt <= MaxVerifyAttempts; attempt++)
        {
            var before = await _partition.HeadAsync(cancellationToken);
            var entries = await _partition.AuditAsync(null, cancellationToken);
            var after = await _partition.HeadAsync(cancellationToken);
            if (before?.ETag == after?.ETag)
            {
                var head = before is null ? new AuditHead(0, AuditChain.Genesis) : new AuditHead(before.GetInt64("Sequence"), before.GetString("Hash"));
                return AuditChain.Verify(entries, head);
            }
        }

        throw new TableStorageException($"Verifying the retention audit chain: it kept growing while being read; gave up after {MaxVerifyAttempts} attempts.");
    }

    private static string RunKey(string id) => RetentionPartition.RunPrefix + TableKeys.Escape(id);

    /// <summary>The key prefix of one run's report rows: a hash of the run id, fixed width, so no run's prefix is another's.</summary>
    private static string RowsOf(string runId) =>
        RetentionPartition.RowPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(runId)), 0, 16) + "_";

    /// <summary>"~~" never occurs in escaped text (escapes are "~" and four hex digits), so source and item cannot run together.</summary>
    private static string RowKey(PurgeRow row)
    {
        var key = RowsOf(row.RunId) + TableKeys.Escape(row.SourceKey) + "~~" + TableKeys.Escape(row.Item);
        TableKeys.EnsureValid(key, "purge report row key");
        return key;
    }

    private static TableEntity RunRow(PurgeRun run) =>
        new TableEntity(RetentionPartition.Key, RunKey(run.Id)) { Description = $"purge run {run.Id}" }
            .Set("Id", run.Id)
            .Set("Region", run.Region)
            .Set("Trigger", run.Trigger)
            .Set("DryRun", run.DryRun)
            .Set("ScheduledFor", AuditChain.FormatInstant(run.ScheduledFor))
            .Set("StartedAt", AuditChain.FormatInstant(run.StartedAt))
            .Set("Status", run.Status)
            .Set("FinishedAt", run.FinishedAt is { } finished ? AuditChain.FormatInstant(finished) : null);

    private static PurgeRun ReadRun(TableEntity e) => new(
        e.GetString("Id"),
        e.GetString("Region"),
        e.GetString("Trigger"),
        e.GetBoolean("DryRun"),
        AuditChain.ParseInstant(e.GetString("ScheduledFor")),
        AuditChain.ParseInstant(e.GetString("StartedAt")),
        e.GetString("Status"),
        e.GetStringOrNull("FinishedAt") is { } finished ? AuditChain.ParseInstant(finished) : null);

    private static TableEntity ReportRow(PurgeRow row) =>
        new TableEntity(RetentionPartition.Key, RowKey(row)) { Description = $"report row {row.SourceKey}/{row.Item} of purge run {row.RunId}" }
            .Set("RunId", row.RunId)
            .Set("SourceKey", row.SourceKey)
            .Set("Item", row.Item)
            .Set("Kind", row.Kind)
            .Set("Category", row.Category)
            .Set("State", row.State)
            .Set("RequestId", row.RequestId)
            .Set("Cutoff", row.Cutoff is { } cutoff ? cutoff.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null)
            .Set("Scanned", row.Scanned)
            .Set("Purged", row.Purged)
            .Set("Held", row.Held)
            .Set("Retained", row.Retained)
            .Set("Errors", row.Errors)
            .Set("DurationMs", row.DurationMs)
            .Set("Batches", row.Batches)
            .SetText("Note", row.Note);

    private static PurgeRow ReadRow(TableEntity e) => new()
    {
        RunId = e.GetString("RunId"),
        SourceKey = e.GetString("SourceKey"),
        Item = e.GetString("Item"),
        Kind = e.GetString("Kind"),
        Category = e.GetString("Category"),
        State = e.GetString("State"),
        RequestId = e.GetStringOrNull("RequestId"),
        Cutoff = e.GetStringOrNull("Cutoff") is { } cutoff ? DateOnly.ParseExact(cutoff, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        Scanned = e.GetInt64("Scanned"),
        Purged = e.GetInt64("Purged"),
        Held = e.GetInt64("Held"),
        Retained = e.GetInt64("Retained"),
        Errors = e.GetInt32("Errors"),
        DurationMs = e.GetInt64("DurationMs"),
        Batches = (int)(e.GetInt64OrNull("Batches") ?? 0),
        Note = e.GetText("Note"),
    };
}
