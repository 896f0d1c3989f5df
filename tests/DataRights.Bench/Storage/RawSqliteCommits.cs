using System.Globalization;
using System.Security.Cryptography;
using DataRights.Bench.Measurement;
using Microsoft.Data.Sqlite;

namespace DataRights.Bench.Storage;

/// <summary>
/// The floor under every durable write: one INSERT per transaction (auto-commit) into a table as wide as
/// <c>requests</c>, with the same unique keys and indexes, under the product's pragmas (WAL, synchronous=FULL,
/// busy_timeout). Nothing else: a prepared statement on a connection held open for the whole run.
/// </summary>
internal sealed class RawSqliteCommits
{
    private const string Schema =
        """
        CREATE TABLE IF NOT EXISTS requests (
            id                TEXT PRIMARY KEY,
            reference         TEXT NOT NULL UNIQUE,
            type              TEXT NOT NULL,
            status            TEXT NOT NULL,
            jurisdiction      TEXT NOT NULL,
            channel           TEXT NOT NULL,
            email             TEXT NOT NULL,
            full_name         TEXT NOT NULL,
            account_reference TEXT,
            details           TEXT,
            received_at       TEXT NOT NULL,
            regime            TEXT NOT NULL,
            received_on       TEXT NOT NULL,
            due_on            TEXT NOT NULL,
            acknowledge_by    TEXT,
            status_token_hash TEXT NOT NULL UNIQUE,
            fingerprint       TEXT NOT NULL,
            version           INTEGER NOT NULL,
            updated_at        TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_requests_fingerprint ON requests (fingerprint, received_at);
        CREATE INDEX IF NOT EXISTS ix_requests_email ON requests (email);
        CREATE INDEX IF NOT EXISTS ix_requests_status_due ON requests (status, due_on);
        """;

    private const string Insert =
        "INSERT INTO requests (id, reference, type, status, jurisdiction, channel, email, full_name, account_reference, details, " +
        "received_at, regime, received_on, due_on, acknowledge_by, status_token_hash, fingerprint, version, updated_at) " +
        "VALUES ($id, $reference, 'erasure', 'received', 'UK', 'api', $email, $full_name, NULL, NULL, " +
        "'2026-11-02T09:30:00.0000000Z', 'UK', '2026-11-02', '2026-12-02', NULL, $hash, $fingerprint, 1, '2026-11-02T09:30:00.0000000Z')";

    private readonly string _connectionString;
    private long _next;

    private RawSqliteCommits(string connectionString) => _connectionString = connectionString;

    public static async Task<RawSqliteCommits> CreateAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var raw = new RawSqliteCommits(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());

        await using var connection = await raw.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;" + Schema;
        await command.ExecuteNonQueryAsync(cancellationToken);
        return raw;
    }

    public static async Task<string> SqliteVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT sqlite_version()";
        return Convert.ToString(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) ?? "?";
    }

    /// <summary>Commits single-row inserts from <paramref name="connections"/> connections, each on its own thread.</summary>
    public async Task<LoadResult> RunAsync(int connections, TimeSpan duration, CancellationToken cancellationToken)
    {
        var writers = new Writer[connections];
        try
        {
            for (var i = 0; i < connections; i++)
            {
                writers[i] = Writer.Open(await OpenAsync(cancellationToken), this);
            }

            return await TimedWorkers.RunAsync(
                connections, duration, (worker, _) => ValueTask.FromResult(writers[worker].Commit()), dedicatedThreads: true, cancellationToken);
        }
        finally
        {
            foreach (var writer in writers)
            {
                writer?.Dispose();
            }
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    private sealed class Writer : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _insert;
        private readonly RawSqliteCommits _owner;
        private readonly SqliteParameter _id;
        private readonly SqliteParameter _reference;
        private readonly SqliteParameter _email;
        private readonly SqliteParameter _fullName;
        private readonly SqliteParameter _hash;
        private readonly SqliteParameter _fingerprint;

        private Writer(SqliteConnection connection, RawSqliteCommits owner)
        {
            _connection = connection;
            _owner = owner;
            _insert = connection.CreateCommand();
            _insert.CommandText = Insert;
            _id = _insert.Parameters.Add("$id", SqliteType.Text);
            _reference = _insert.Parameters.Add("$reference", SqliteType.Text);
            _email = _insert.Parameters.Add("$email", SqliteType.Text);
            _fullName = _insert.Parameters.Add("$full_name", SqliteType.Text);
            _hash = _insert.Parameters.Add("$hash", SqliteType.Text);
            _fingerprint = _insert.Parameters.Add("$fingerprint", SqliteType.Text);
        }

        public static Writer Open(SqliteConnection connection, RawSqliteCommits owner)
        {
            var writer = new Writer(connection, owner);
            writer._insert.Prepare();
            return writer;
        }

        /// <summary>One auto-commit INSERT: with synchronous=FULL, returns after the WAL is fsynced.</summary>
        public string? Commit()
        {
            var n = Interlocked.Increment(ref _owner._next);
            _id.Value = "dr_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            _reference.Value = string.Create(CultureInfo.InvariantCulture, $"DR-2026-{n:D6}");
            _email.Value = string.Create(CultureInfo.InvariantCulture, $"bench-{n}@example.com");
            _fullName.Value = string.Create(CultureInfo.InvariantCulture, $"Bench Person {n}");
            _hash.Value = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            _fingerprint.Value = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            return _insert.ExecuteNonQuery() == 1 ? null : "no row inserted";
        }

        public void Dispose()
        {
            _insert.Dispose();
            _connection.Dispose();
        }
    }
}
