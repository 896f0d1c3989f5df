using System.Globalization;
using DataRights.Core.Audit;
using DataRights.Core.Retention;
using Microsoft.Data.Sqlite;

namespace DataRights.Storage.Sqlite;

/// <summary>Purge runs and report rows; final row states and run boundaries are audited in the same transaction.</summary>
public sealed class SqlitePurgeStore(SqliteDatabase database) : IPurgeStore
{
    private const string RunColumns = "id, region, trigger, dry_run, scheduled_for, started_at, status, finished_at";

    public Task<PurgeRun> StartAsync(PurgeRun run, AuditDraft started, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                if (await GetAsync(connection, transaction, run.Id, cancellationToken) is { } existing)
                {
                    return existing;
                }

                await using (var command = connection.CreateCommand())
                {
                    command.Transaction = transaction;
                    command.CommandText =
                        $"INSERT INTO purge_runs ({RunColumns}) VALUES ($id, $region, $trigger, $dry, $for, $started, $status, NULL)";
                    command.Parameters.AddWithValue("$id", run.Id);
                    command.Parameters.AddWithValue("$region", run.Region);
                    command.Parameters.AddWithValue("$trigger", run.Trigger);
                    command.Parameters.AddWithValue("$dry", run.DryRun ? 1 : 0);
                    command.Parameters.AddWithValue("$for", AuditChain.FormatInstant(run.ScheduledFor));
                    command.Parameters.AddWithValue("$started", AuditChain.FormatInstant(run.StartedAt));
                    command.Parameters.AddWithValue("$status", run.Status);
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }

                await SqliteSystemAudit.AppendAsync(connection, transaction, IPurgeStore.AuditChainId, [started], cancellationToken);
                return run;
            },
            cancellationToken);

    public async Task<PurgeRun?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await GetAsync(connection, null, id, cancellationToken);
    }

    public async Task<IReadOnlyList<PurgeRun>> ListAsync(int max, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {RunColumns} FROM purge_runs ORDER BY started_at DESC, id DESC LIMIT $max";
        command.Parameters.AddWithValue("$max", max);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new List<PurgeRun>();
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(ReadRun(reader));
        }

        return runs;
    }

    public async Task<IReadOnlyList<PurgeRow>> RowsAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT run_id, source_key, item, kind, category, state, request_id, cutoff, scanned, purged, held, retained, errors, duration_ms, note " +
            "FROM purge_rows WHERE run_id = $run ORDER BY source_key, kind DESC, item";
        command.Parameters.AddWithValue("$run", runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<PurgeRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new PurgeRow
            {
                RunId = reader.GetString(0),
                SourceKey = reader.GetString(1),
                Item = reader.GetString(2),
                Kind = reader.GetString(3),
                Category = reader.GetString(4),
                State = reader.GetString(5),
                RequestId = reader.IsDBNull(6) ? null : reader.GetString(6),
                Cutoff = reader.IsDBNull(7) ? null : DateOnly.ParseExact(reader.GetString(7), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                Scanned = reader.GetInt64(8),
                Purged = reader.GetInt64(9),
                Held = reader.GetInt64(10),
                Retained = reader.GetInt64(11),
                Errors = reader.GetInt32(12),
                DurationMs = reader.GetInt64(13),
                Note = reader.IsDBNull(14) ? null : reader.GetString(14),
            });
        }

        return rows;
    }

    public Task SaveRowAsync(PurgeRow row, AuditDraft? audit, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => SaveRowAsync(connection, transaction, row, audit, cancellationToken), cancellationToken);

    public Task<bool> SaveRowIfAsync(PurgeRow row, string expectedState, AuditDraft audit, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                await using (var command = connection.CreateCommand())
                {
                    command.Transaction = transaction;
                    command.CommandText = "SELECT state FROM purge_rows WHERE run_id = $run AND source_key = $source AND item = $item";
                    command.Parameters.AddWithValue("$run", row.RunId);
                    command.Parameters.AddWithValue("$source", row.SourceKey);
                    command.Parameters.AddWithValue("$item", row.Item);
                    if (await command.ExecuteScalarAsync(cancellationToken) as string != expectedState)
                    {
                        return false;
                    }
                }

                await SaveRowAsync(connection, transaction, row, audit, cancellationToken);
                return true;
            },
            cancellationToken);

    private static async Task<bool> SaveRowAsync(SqliteConnection connection, SqliteTransaction transaction, PurgeRow row, AuditDraft? audit, CancellationToken cancellationToken)
    {
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText =
                "INSERT INTO purge_rows (run_id, source_key, item, kind, category, state, request_id, cutoff, scanned, purged, held, retained, errors, duration_ms, note) " +
                "VALUES ($run, $source, $item, $kind, $category, $state, $request, $cutoff, $scanned, $purged, $held, $retained, $errors, $duration, $note) " +
                "ON CONFLICT (run_id, source_key, item) DO UPDATE SET state = excluded.state, request_id = excluded.request_id, cutoff = excluded.cutoff, " +
                "scanned = excluded.scanned, purged = excluded.purged, held = excluded.held, retained = excluded.retained, errors = excluded.errors, " +
                "duration_ms = excluded.duration_ms, note = excluded.note";
            command.Parameters.AddWithValue("$run", row.RunId);
            command.Parameters.AddWithValue("$source", row.SourceKey);
            command.Parameters.AddWithValue("$item", row.Item);
            command.Parameters.AddWithValue("$kind", row.Kind);
            command.Parameters.AddWithValue("$category", row.Category);
            command.Parameters.AddWithValue("$state", row.State);
            command.Parameters.AddWithValue("$request", (object?)row.RequestId ?? DBNull.Value);
            command.Parameters.AddWithValue("$cutoff", row.Cutoff is { } cutoff ? cutoff.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : DBNull.Value);
            command.Parameters.AddWithValue("$scanned", row.Scanned);
            command.Parameters.AddWithValue("$purged", row.Purged);
            command.Parameters.AddWithValue("$held", row.Held);
            command.Parameters.AddWithValue("$retained", row.Retained);
            command.Parameters.AddWithValue("$errors", row.Errors);
            command.Parameters.AddWithValue("$duration", row.DurationMs);
            command.Parameters.AddWithValue("$note", (object?)row.Note ?? DBNull.Value);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        if (audit is not null)
        {
            await SqliteSystemAudit.AppendAsync(connection, transaction, IPurgeStore.AuditChainId, [audit], cancellationToken);
        }

        return true;
    }

    public Task FinishAsync(string runId, string status, DateTimeOffset at, AuditDraft finished, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                await using (var command = connection.CreateCommand())
                {
                    command.Transaction = transaction;
                    command.CommandText = "UPDATE purge_runs SET status = $status, finished_at = $at WHERE id = $id";
                    command.Parameters.AddWithValue("$id", runId);
                    command.Parameters.AddWithValue("$status", status);
                    command.Parameters.AddWithValue("$at", AuditChain.FormatInstant(at));
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }

                await SqliteSystemAudit.AppendAsync(connection, transaction, IPurgeStore.AuditChainId, [finished], cancellationToken);
                return 0;
            },
            cancellationToken);

    public async Task<IReadOnlyList<AuditEntry>> AuditTrailAsync(string? runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await SqliteSystemAudit.ReadAsync(connection, null, IPurgeStore.AuditChainId, runId, cancellationToken);
    }

    public async Task<AuditVerification> VerifyAuditAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);

        // Read the head and the chain in one snapshot, so an append in between does not look like tampering.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var head = await SqliteSystemAudit.HeadAsync(connection, transaction, IPurgeStore.AuditChainId, cancellationToken);
        var entries = await SqliteSystemAudit.ReadAsync(connection, transaction, IPurgeStore.AuditChainId, null, cancellationToken);
        return AuditChain.Verify(entries, head ?? new AuditHead(0, AuditChain.Genesis));
    }

    private static async Task<PurgeRun?> GetAsync(SqliteConnection connection, SqliteTransaction? transaction, string id, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {RunColumns} FROM purge_runs WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRun(reader) : null;
    }

    private static PurgeRun ReadRun(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetInt64(3) == 1,
        AuditChain.ParseInstant(reader.GetString(4)),
        AuditChain.ParseInstant(reader.GetString(5)),
        reader.GetString(6),
        reader.IsDBNull(7) ? null : AuditChain.ParseInstant(reader.GetString(7)));
}
