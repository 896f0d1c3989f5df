using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace DataRights.Bench.Purge;

/// <summary>
/// A demo-like call detail table (the demo telephony source's schema, plus an index on the date a real
/// operator would add for purging), and the raw batched DELETE the product's purge is measured against.
/// </summary>
internal static class CdrTable
{
    /// <summary>Every expired row is before this day; the fresh ones are after it.</summary>
    public const string Cutoff = "2026-05-02";

    /// <summary>The purge statement of the bench source's registration.</summary>
    public const string PurgeSql =
        "DELETE FROM cdrs WHERE id IN (SELECT id FROM cdrs WHERE started_at < $cutoff AND NOT datarights_held(caller_email) LIMIT $batch)";

    /// <summary>The same statement without the legal-hold filter: what a DBA would run by hand.</summary>
    public const string RawSql = "DELETE FROM cdrs WHERE id IN (SELECT id FROM cdrs WHERE started_at < $cutoff LIMIT $batch)";

    public static void Create(string path, int expired, int fresh)
    {
        using var connection = Open(path);
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE cdrs (id INTEGER PRIMARY KEY, caller_email TEXT NOT NULL, callee TEXT NOT NULL, started_at TEXT NOT NULL, seconds INTEGER NOT NULL);
            """);

        // Old calls first (lower ids), then recent ones, about 20 per caller, as a real table grows.
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            WITH RECURSIVE n(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM n WHERE x < $total - 1)
            INSERT INTO cdrs (caller_email, callee, started_at, seconds)
            SELECT 'caller.' || (abs(random()) % ($total / 20 + 1)) || '@example.net', '+44 20 7946 0018',
                   CASE WHEN x < $expired
                        THEN strftime('%Y-%m-%dT%H:%M:%SZ', '2025-01-01', '+' || (x * 500000 / $expired) || ' minutes')
                        ELSE strftime('%Y-%m-%dT%H:%M:%SZ', '2026-09-01', '+' || (x - $expired) || ' minutes') END,
                   x % 600
            FROM n
            """;
        insert.Parameters.AddWithValue("$total", expired + fresh);
        insert.Parameters.AddWithValue("$expired", expired);
        insert.ExecuteNonQuery();
        transaction.Commit();
        Execute(connection, "CREATE INDEX ix_cdrs_caller ON cdrs (caller_email); CREATE INDEX ix_cdrs_started ON cdrs (started_at); PRAGMA wal_checkpoint(TRUNCATE);");
    }

    public static long Count(string path, string where)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM cdrs WHERE " + where;
        command.Parameters.AddWithValue("$cutoff", Cutoff);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Batched DELETE, each batch its own durable transaction (WAL, synchronous=FULL, as the product).</summary>
    public static (long Rows, TimeSpan Elapsed) RawDelete(string path, int batch)
    {
        using var connection = Open(path);
        Execute(connection, "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000;");
        var clock = Stopwatch.StartNew();
        long total = 0;
        while (true)
        {
            using var transaction = connection.BeginTransaction();
            using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = RawSql;
            delete.Parameters.AddWithValue("$cutoff", Cutoff);
            delete.Parameters.AddWithValue("$batch", batch);
            var deleted = delete.ExecuteNonQuery();
            transaction.Commit();
            total += deleted;
            if (deleted < batch)
            {
                return (total, clock.Elapsed);
            }
        }
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
