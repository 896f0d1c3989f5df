using System.Globalization;
using Microsoft.Data.Sqlite;

namespace DataRights.Integration.Tests.Infrastructure;

/// <summary>Reads the product's SQLite file directly, as an operator with the sqlite3 shell would.</summary>
public static class Database
{
    public static long Scalar(string path, string sql, params (string Name, object Value)[] parameters) =>
        Convert.ToInt64(Run(path, sql, parameters, c => c.ExecuteScalar()), CultureInfo.InvariantCulture);

    public static string? Text(string path, string sql, params (string Name, object Value)[] parameters) =>
        Run(path, sql, parameters, c => c.ExecuteScalar()) as string;

    public static void Execute(string path, string sql) => Run(path, sql, [], c => c.ExecuteNonQuery());

    public static long RequestCount(string path) => File.Exists(path) ? Scalar(path, "SELECT COUNT(*) FROM requests") : 0;

    private static T Run<T>(string path, string sql, (string Name, object Value)[] parameters, Func<SqliteCommand, T> execute)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return execute(command);
    }
}
