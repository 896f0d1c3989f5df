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
        await SqliteAuditRows.InsertAsync(connection, transaction, SqliteAuditRows.SystemTrail, entries, cancellationToken);

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
        return await SqliteAuditRows.ReadAsync(command, cancellationToken);
    }
}
