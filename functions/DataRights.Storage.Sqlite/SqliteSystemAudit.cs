using DataRights.Core.Audit;
using Microsoft.Data.Sqlite;

namespace DataRights.Storage.Sqlite;

/// <summary>
/// System audit chains (not a request's): the same hash chain as request trails (<see cref="AuditChain"/>),
/// keyed by a chain id, with the head kept beside it so entries cut off the end show. Appended inside the
/// caller's transaction, so the fact and its evidence commit together.
/// </summary>
internal static class SqliteSystemAudit
{
    public static async Task AppendAsync(
        SqliteConnection connection, SqliteTransaction transaction, string chain, IReadOnlyList<AuditDraft> drafts, CancellationToken cancellationToken)
    {
        if (drafts.Count == 0)
        {
            return;
        }

        var head = await HeadAsync(connection, transaction, chain, cancellationToken);
        var (entries, newHead) = AuditChain.Extend(head, chain, drafts);
        foreach (var e in entries)
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText =
                "INSERT INTO system_audit_entries (chain, seq, at, actor, action, from_status, to_status, details, previous_hash, hash) " +
                "VALUES ($chain, $seq, $at, $actor, $action, $from, $to, $details, $previous, $hash)";
            insert.Parameters.AddWithValue("$chain", chain);
            insert.Parameters.AddWithValue("$seq", e.Sequence);
            insert.Parameters.AddWithValue("$at", AuditChain.FormatInstant(e.At));
            insert.Parameters.AddWithValue("$actor", e.Actor);
            insert.Parameters.AddWithValue("$action", e.Action);
            insert.Parameters.AddWithValue("$from", (object?)e.FromStatus ?? DBNull.Value);
            insert.Parameters.AddWithValue("$to", (object?)e.ToStatus ?? DBNull.Value);
            insert.Parameters.AddWithValue("$details", e.Details);
            insert.Parameters.AddWithValue("$previous", e.PreviousHash);
            insert.Parameters.AddWithValue("$hash", e.Hash);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var upsert = connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText =
            "INSERT INTO system_audit_heads (chain, seq, hash) VALUES ($chain, $seq, $hash) " +
            "ON CONFLICT (chain) DO UPDATE SET seq = excluded.seq, hash = excluded.hash";
        upsert.Parameters.AddWithValue("$chain", chain);
        upsert.Parameters.AddWithValue("$seq", newHead!.Sequence);
        upsert.Parameters.AddWithValue("$hash", newHead.Hash);
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<AuditHead?> HeadAsync(SqliteConnection connection, SqliteTransaction? transaction, string chain, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT seq, hash FROM system_audit_heads WHERE chain = $chain";
        command.Parameters.AddWithValue("$chain", chain);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new AuditHead(reader.GetInt64(0), reader.GetString(1)) : null;
    }

    /// <summary>The chain oldest first; with <paramref name="run"/>, only entries whose details name that purge run.</summary>
    public static async Task<IReadOnlyList<AuditEntry>> ReadAsync(
        SqliteConnection connection, SqliteTransaction? transaction, string chain, string? run, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            "SELECT chain, seq, at, actor, action, from_status, to_status, details, previous_hash, hash FROM system_audit_entries " +
            "WHERE chain = $chain AND ($run IS NULL OR json_extract(details, '$.run') = $run) ORDER BY seq";
        command.Parameters.AddWithValue("$chain", chain);
        command.Parameters.AddWithValue("$run", (object?)run ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AuditEntry(
                reader.GetString(0),
                reader.GetInt64(1),
                AuditChain.ParseInstant(reader.GetString(2)),
                reader.GetString(3),
                reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetString(7),
                reader.GetString(8),
                reader.GetString(9)));
        }

        return entries;
    }
}
