using System.Text.Json;
using DataRights.Core.Audit;
using DataRights.Core.Retention;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// The retention table's one partition, named after the retention audit chain: the chain's head and
/// entries, the policies, the purge runs and their report rows. Keeping them together lets a fact (a
/// policy saved, a run started, a report row finished) and its audit entry commit in one entity-group
/// transaction, guarded by the head's ETag, as the SQLite store does in one SQL transaction. The hash
/// chain orders every append anyway, so one partition costs no parallelism the chain would allow.
/// </summary>
internal sealed class RetentionPartition(AzureTableStore store)
{
    public const string HeadKey = "head";
    public const string PolicyPrefix = "policy_";
    public const string RunPrefix = "run_";
    public const string RowPrefix = "row_";

    private const int MaxAttempts = 50;

    public static string Key { get; } = TableRows.RequestPartition(IPurgeStore.AuditChainId);

    public string Table => store.RetentionTable;

    public TableGateway Client => store.Client;

    /// <summary>
    /// Writes <paramref name="facts"/> (rows of this partition) and appends <paramref name="drafts"/> to the
    /// chain, all or nothing, trying again while other writers move the head. Returns null once written, or
    /// the refusal when one of the facts itself was refused (such as an insert of a row that exists).
    /// </summary>
    public async Task<BatchResult?> WriteAsync(IReadOnlyList<TableOperation> facts, IReadOnlyList<AuditDraft> drafts, CancellationToken cancellationToken)
    {
        if (drafts.Count == 0)
        {
            var plain = await Client.SubmitTransactionAsync(Table, facts, cancellationToken);
            return plain.Succeeded ? null : plain;
        }

        // Every append moves the one head, so writers in this process would only collide: they take turns.
        await store.RetentionChainTurn.WaitAsync(cancellationToken);
        try
        {
            return await AppendAsync(facts, drafts, cancellationToken);
        }
        finally
        {
            store.RetentionChainTurn.Release();
        }
    }

    private async Task<BatchResult?> AppendAsync(IReadOnlyList<TableOperation> facts, IReadOnlyList<AuditDraft> drafts, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var head = await Client.GetAsync(Table, Key, HeadKey, cancellationToken);
            var current = head is null ? null : new AuditHead(head.GetInt64("Sequence"), head.GetString("Hash"));
            var (entries, next) = AuditChain.Extend(current, IPurgeStore.AuditChainId, drafts);
            var commitId = AzureTableRequestStore.NewCommitId();
            var headRow = new TableEntity(Key, HeadKey) { Description = "retention audit head" }
                .Set("Sequence", next!.Sequence)
                .Set("Hash", next.Hash)
                .Set("CommitId", commitId);
            var operations = new List<TableOperation>(facts) { head is null ? TableOperation.Insert(headRow) : TableOperation.Replace(headRow, head.ETag!) };
            operations.AddRange(entries.Select(e => TableOperation.Insert(AuditRow(e))));
            var result = await Client.SubmitTransactionAsync(Table, operations, cancellationToken);
            // Landed also when another append followed it (its first entry is stored as written): not appended twice.
            if (result.Succeeded || (await AzureTableRequestStore.LandingAsync(Client, Table, Key, HeadKey, commitId, entries.Count > 0 ? AuditRow(entries[0]) : null, cancellationToken)).Landed)
            {
                // Landed: also when the refusal answered a retried send whose first attempt got through.
                return null;
            }

            if (result.FailedIndex is { } index && index < facts.Count)
            {
                return result;
            }
        }

        throw new TableStorageException($"Appending to the retention audit chain: its head kept changing; gave up after {MaxAttempts} attempts.");
    }

    /// <summary>The chain's head as stored, with the ETag it was read at (null before the first entry).</summary>
    public Task<TableEntity?> HeadAsync(CancellationToken cancellationToken) => Client.GetAsync(Table, Key, HeadKey, cancellationToken);

    /// <summary>Rows of this partition whose key starts with <paramref name="prefix"/>, with an optional extra filter.</summary>
    public Task<List<TableEntity>> QueryAsync(string prefix, string? and, CancellationToken cancellationToken) =>
        Client.QueryAsync(Table, $"{TableKeys.Partition(Key)} and {TableKeys.RowKeyPrefix(prefix)}" + (and is null ? string.Empty : " and " + and), null, cancellationToken);

    /// <summary>The chain oldest first; with <paramref name="runId"/>, only the entries whose details name that purge run.</summary>
    public async Task<IReadOnlyList<AuditEntry>> AuditAsync(string? runId, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(TableRows.AuditPrefix, runId is null ? null : "Run eq " + TableKeys.Literal(runId), cancellationToken);
        return rows.Select(r => AzureTableRequestStore.ReadAuditRow(IPurgeStore.AuditChainId, r)).ToList();
    }

    /// <summary>An entry's row: as a request's audit row, plus the purge run it names (for reading one run's entries).</summary>
    private static TableEntity AuditRow(AuditEntry entry)
    {
        var row = AzureTableRequestStore.AuditRow(entry);
        using var details = JsonDocument.Parse(entry.Details.Length == 0 ? "{}" : entry.Details);
        if (details.RootElement.ValueKind == JsonValueKind.Object && details.RootElement.TryGetProperty("run", out var run) && run.ValueKind == JsonValueKind.String)
        {
            row.Set("Run", run.GetString());
        }

        return row;
    }
}
