using System.Data.Common;
using DataRights.Core.Sources.Registry;
using DataRights.Storage.Sqlite;

namespace DataRights.Host.Sources;

/// <summary>
/// A SQL source on a SQLite file (connector type <c>sqlite</c>). SQLite binds <c>$name</c> placeholders
/// natively, so the registration's statements run as written; writes go through the database's single writer.
/// </summary>
public sealed class SqliteSourceConnector(SqliteDatabase database, SourceRegistration registration, byte[] maskKey, TimeProvider time)
    : SqlSourceConnector(registration, maskKey, time)
{
    protected override string Provider => "SQLite";

    protected override string? Unreachable() => File.Exists(database.Path) ? null : "The database file does not exist.";

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await database.OpenAsync(cancellationToken);

    protected override Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        database.WriteAsync(work, cancellationToken);

    protected override void Bind(DbCommand command, string sql, IReadOnlyDictionary<string, object?> values)
    {
        command.CommandText = sql;
        foreach (var name in SqlPlaceholders.Used(sql))
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = values[name] ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
    }
}
