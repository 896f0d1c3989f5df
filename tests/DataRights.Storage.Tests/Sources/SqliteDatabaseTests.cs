using DataRights.Host.Sources.Sqlite;
using Microsoft.Data.Sqlite;

namespace DataRights.Storage.Tests.Sources;

/// <summary>The SQLite writer: group commit with a savepoint per write, and the statements it keeps prepared.</summary>
public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("datarights-db-").FullName;
    private readonly SqliteDatabase _database;

    public SqliteDatabaseTests()
    {
        _database = new SqliteDatabase(Path.Combine(_folder, "test.db"));
    }

    [Fact]
    public async Task Writes_SubmittedTogether_CommitTogether_AndAFailingOneRollsBackAlone()
    {
        await _database.WriteAsync((c, t) => ExecuteAsync(c, t, "CREATE TABLE items (n INTEGER PRIMARY KEY)"), CancellationToken.None);

        var writes = Enumerable.Range(1, 40).Select(n => _database.WriteAsync(
            async (c, t) =>
            {
                await ExecuteAsync(c, t, "INSERT INTO items (n) VALUES (" + n + ")");
                return n % 10 == 0 ? throw new InvalidOperationException("write " + n + " fails after its insert") : n;
            },
            CancellationToken.None)).ToList();
        var outcomes = await Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                return await w;
            }
            catch (InvalidOperationException)
            {
                return -1;
            }
        }));

        Assert.Equal(4, outcomes.Count(o => o == -1));
        Assert.Equal(36, await CountAsync("SELECT COUNT(*) FROM items"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM items WHERE n % 10 = 0"));
        Assert.True(_database.Commits < _database.Writes, $"{_database.Writes} writes in {_database.Commits} commits: none shared a commit");
    }

    [Fact]
    public async Task KeptStatement_IsReusedByLaterWrites_WithOnlyTheirOwnParameters()
    {
        await _database.WriteAsync((c, t) => ExecuteAsync(c, t, "CREATE TABLE items (n INTEGER PRIMARY KEY, label TEXT NOT NULL)"), CancellationToken.None);
        const string Insert = "INSERT INTO items (n, label) VALUES ($n, $label)";

        var first = await _database.WriteAsync((c, t) => InsertAsync(c, t, Insert, 1, "one"), CancellationToken.None);
        var second = await _database.WriteAsync((c, t) => InsertAsync(c, t, Insert, 2, "two"), CancellationToken.None);

        Assert.Same(first, second);
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM items WHERE (n, label) IN (VALUES (1, 'one'), (2, 'two'))"));
    }

    [Fact]
    public async Task KeptStatement_OutsideAWrite_IsRefused()
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();

        var error = Assert.Throws<InvalidOperationException>(() => SqliteDatabase.Statement(connection, transaction, "SELECT 1"));

        Assert.Contains("WriteAsync", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _database.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A pooled handle may linger a moment; the OS temp cleaner takes what is left.
        }
    }

    private static async Task<SqliteCommand> InsertAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, int n, string label)
    {
        var command = SqliteDatabase.Statement(connection, transaction, sql);
        command.Parameters.AddWithValue("$n", n);
        command.Parameters.AddWithValue("$label", label);
        await command.ExecuteNonQueryAsync();
        return command;
    }

    private static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
