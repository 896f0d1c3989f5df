using DataRights.Core.Audit;
using Microsoft.Data.Sqlite;

namespace DataRights.Storage.Sqlite;

/// <summary>
/// Audit entries as rows, for both kinds of trail: a request's (<c>audit_entries</c>, keyed by
/// <c>request_id</c>) and a system chain's (<c>system_audit_entries</c>, keyed by <c>chain</c>). The
/// table names are these two constants, never input.
/// </summary>
internal static class SqliteAuditRows
{
    public const string RequestTrail = "audit_entries (request_id";
    public const string SystemTrail = "system_audit_entries (chain";

    /// <summary>All entries in one multi-row INSERT: one statement to prepare, not one per entry.</summary>
    public static async Task InsertAsync(SqliteConnection connection, SqliteTransaction transaction, string trail, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        if (trail is not (RequestTrail or SystemTrail))
        {
            throw new ArgumentOutOfRangeException(nameof(trail), trail, "Not an audit trail table.");
        }

        var rows = new List<string>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            rows.Add($"($r{i}, $s{i}, $at{i}, $ac{i}, $an{i}, $f{i}, $t{i}, $d{i}, $p{i}, $h{i})");
        }

        var command = SqliteDatabase.Statement(
            connection,
            transaction,
            $"INSERT INTO {trail}, seq, at, actor, action, from_status, to_status, details, previous_hash, hash) VALUES " + string.Join(", ", rows));
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            command.Parameters.AddWithValue($"$r{i}", e.RequestId);
            command.Parameters.AddWithValue($"$s{i}", e.Sequence);
            command.Parameters.AddWithValue($"$at{i}", AuditChain.FormatInstant(e.At));
            command.Parameters.AddWithValue($"$ac{i}", e.Actor);
            command.Parameters.AddWithValue($"$an{i}", e.Action);
            command.Parameters.AddWithValue($"$f{i}", (object?)e.FromStatus ?? DBNull.Value);
            command.Parameters.AddWithValue($"$t{i}", (object?)e.ToStatus ?? DBNull.Value);
            command.Parameters.AddWithValue($"$d{i}", e.Details);
            command.Parameters.AddWithValue($"$p{i}", e.PreviousHash);
            command.Parameters.AddWithValue($"$h{i}", e.Hash);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Reads entries from a query selecting (key, seq, at, actor, action, from_status, to_status, details, previous_hash, hash).</summary>
    public static async Task<IReadOnlyList<AuditEntry>> ReadAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
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
