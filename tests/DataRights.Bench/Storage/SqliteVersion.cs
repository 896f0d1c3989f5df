using System.Globalization;
using Microsoft.Data.Sqlite;

namespace DataRights.Bench.Storage;

/// <summary>The SQLite library's version, for the machine facts: the source connectors (sqlite, demo) run on it.</summary>
internal static class SqliteVersion
{
    public static async Task<string> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT sqlite_version()";
        return Convert.ToString(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) ?? "?";
    }
}
