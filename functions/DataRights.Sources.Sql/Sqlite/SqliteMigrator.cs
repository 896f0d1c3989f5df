using Microsoft.Data.Sqlite;

namespace DataRights.Host.Sources.Sqlite;

/// <summary>
/// Brings a database file to the current schema. The version lives in <c>PRAGMA user_version</c>;
/// each migration runs in its own transaction together with the version bump, so a crash mid-way
/// leaves the file at the previous version, never half-migrated.
/// </summary>
public static class SqliteMigrator
{
    public static async Task<int> MigrateAsync(SqliteDatabase database, IReadOnlyList<string> migrations, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(database.Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        // Owner-only: SQLite gives the -wal and -shm files the database file's mode, so an empty file made 600 first
        // keeps all three private.
        if (!OperatingSystem.IsWindows() && !File.Exists(database.Path))
        {
            new FileStream(database.Path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }).Dispose();
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL;", cancellationToken);

        var current = await GetVersionAsync(connection, cancellationToken);
        if (current > migrations.Count)
        {
            throw new InvalidOperationException(
                $"The database {database.Path} is at schema version {current}, newer than this program knows ({migrations.Count}). Use a newer version of DataRights.");
        }

        for (var version = current + 1; version <= migrations.Count; version++)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, transaction, migrations[version - 1], cancellationToken);
            await ExecuteAsync(connection, transaction, $"PRAGMA user_version = {version};", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return migrations.Count;
    }

    public static async Task<int> GetVersionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
