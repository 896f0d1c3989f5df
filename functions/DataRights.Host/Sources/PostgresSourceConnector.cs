using System.Data.Common;
using DataRights.Core.Sources.Registry;
using Npgsql;

namespace DataRights.Host.Sources;

/// <summary>
/// A SQL source on PostgreSQL (connector type <c>postgres</c>), through Npgsql. PostgreSQL only knows
/// positional placeholders, so each allowed <c>$name</c> in a statement becomes <c>$1</c>, <c>$2</c>...
/// and its value is sent apart from the text as that positional parameter (the server binds it).
/// </summary>
public sealed class PostgresSourceConnector(NpgsqlDataSource dataSource, SourceRegistration registration, byte[] maskKey, TimeProvider time)
    : SqlSourceConnector(registration, maskKey, time)
{
    protected override string Provider => "PostgreSQL";

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await dataSource.OpenConnectionAsync(cancellationToken);

    protected override async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    protected override void Bind(DbCommand command, string sql, IReadOnlyDictionary<string, object?> values)
    {
        var (text, order) = SqlPlaceholders.ToPositional(sql);
        command.CommandText = text;
        foreach (var name in order)
        {
            // Unnamed parameters: Npgsql sends the text untouched and the values separately.
            command.Parameters.Add(new NpgsqlParameter { Value = values[name] ?? DBNull.Value });
        }
    }

    /// <summary>The connection string for a registration's host, port, database and username, with the password resolved from its reference.</summary>
    public static string ConnectionString(SourceRegistration r, string password) => new NpgsqlConnectionStringBuilder
    {
        Host = r.Connection["host"],
        Port = int.Parse(r.Connection["port"], System.Globalization.CultureInfo.InvariantCulture),
        Database = r.Connection["database"],
        Username = r.Connection["username"],
        Password = password,
        ApplicationName = "DataRights",
    }.ConnectionString;
}
