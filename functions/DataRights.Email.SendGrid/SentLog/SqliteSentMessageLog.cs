using System.Globalization;
using Microsoft.Data.Sqlite;

namespace DataRights.Email.SendGrid.SentLog;

/// <summary>
/// The sent-message log in a SQLite file (its own file, or the host's database: the table name is ours alone).
/// The table is created on first use. Commits are fully synced: a lost record means a second email to a person.
/// </summary>
public sealed class SqliteSentMessageLog : ISentMessageLog, IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS sent_messages (
            message_id  TEXT PRIMARY KEY NOT NULL,
            provider_id TEXT NULL,
            sent_at     TEXT NOT NULL
        );
        """;

    private readonly string _connectionString;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _schemaLock = new(1, 1);
    private volatile bool _schemaReady;

    public SqliteSentMessageLog(string path, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Path = System.IO.Path.GetFullPath(path);
        _timeProvider = timeProvider;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // A send is one short lookup and one insert; unpooled connections leave no open handle on the file between sends.
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public async Task<string?> FindAsync(string messageId)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(provider_id, '') FROM sent_messages WHERE message_id = $messageId;";
        command.Parameters.AddWithValue("$messageId", messageId);
        return await command.ExecuteScalarAsync() as string;
    }

    public async Task RecordAsync(string messageId, string? providerId)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO sent_messages (message_id, provider_id, sent_at) VALUES ($messageId, $providerId, $sentAt)
            ON CONFLICT (message_id) DO NOTHING;
            """;
        command.Parameters.AddWithValue("$messageId", messageId);
        command.Parameters.AddWithValue("$providerId", (object?)providerId ?? DBNull.Value);
        command.Parameters.AddWithValue("$sentAt", _timeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        await command.ExecuteNonQueryAsync();
    }

    public void Dispose() => _schemaLock.Dispose();

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync();
            await using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL;";
                await pragma.ExecuteNonQueryAsync();
            }

            await EnsureSchemaAsync(connection);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task EnsureSchemaAsync(SqliteConnection connection)
    {
        if (_schemaReady)
        {
            return;
        }

        await _schemaLock.WaitAsync();
        try
        {
            if (!_schemaReady)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = Schema;
                await command.ExecuteNonQueryAsync();
                _schemaReady = true;
            }
        }
        finally
        {
            _schemaLock.Release();
        }
    }
}
