using System.Data.Common;
using DataRights.Core.Sources.Registry;
using Npgsql;

namespace DataRights.Host.Sources;

/// <summary>
/// A SQL source on PostgreSQL (connector type <c>postgres</c>), through Npgsql. PostgreSQL only knows
/// positional placeholders, so each allowed <c>$name</c> in a statement becomes <c>$1</c>, <c>$2</c>...
/// and its value is sent apart from the text as that positional parameter (the server binds it). Reads
/// (discover, export, the connection test) run in a READ ONLY transaction, so the server refuses any write.
/// </summary>
public sealed class PostgresSourceConnector(NpgsqlDataSource dataSource, SourceRegistration registration, byte[] maskKey, TimeProvider time, ILogger? logger = null)
    : SqlSourceConnector(registration, maskKey, time, logger)
{
    protected override string Provider => "PostgreSQL";

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await dataSource.OpenConnectionAsync(cancellationToken);

    protected override async Task<T> ReadAsync<T>(Func<DbConnection, DbTransaction?, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
        {
            await readOnly.ExecuteNonQueryAsync(cancellationToken);
        }

        var result = await work(connection, transaction);
        await transaction.RollbackAsync(cancellationToken);
        return result;
    }

    protected override (string Error, string Code) Describe(Exception exception) => exception switch
    {
        PostgresException { SqlState: "28P01" or "28000" } signIn => ("authentication", signIn.SqlState),
        PostgresException { SqlState: "25006" } => ("not-read-only", "25006"),
        PostgresException other => ("database", other.SqlState),
        NpgsqlException { InnerException: System.Security.Authentication.AuthenticationException } => ("tls", "certificate"),
        NpgsqlException npgsql when npgsql.Message.Contains("SSL", StringComparison.OrdinalIgnoreCase) => ("tls", "no-tls"),
        NpgsqlException { InnerException: System.Net.Sockets.SocketException or TimeoutException or IOException } or TimeoutException or IOException
            or System.Net.Sockets.SocketException => ("unreachable", exception.GetType().Name),
        _ => base.Describe(exception),
    };

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

    /// <summary>
    /// The connection string for a registration's host, port, database and username, with the password resolved
    /// from its reference. TLS is required (SSL Mode Require; VerifyFull against <paramref name="rootCertificate"/>
    /// when one is configured), and only SCRAM sign-in is accepted, so the password never crosses the network,
    /// not even to a server that asks for it in clear.
    /// </summary>
    public static string ConnectionString(SourceRegistration r, string password, string? rootCertificate = null)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = r.Connection["host"],
            Port = int.Parse(r.Connection["port"], System.Globalization.CultureInfo.InvariantCulture),
            Database = r.Connection["database"],
            Username = r.Connection["username"],
            Password = password,
            ApplicationName = "DataRights",
            SslMode = string.IsNullOrWhiteSpace(rootCertificate) ? SslMode.Require : SslMode.VerifyFull,
            RequireAuth = "ScramSHA256",

            // No Kerberos here: TLS is the one encryption asked for first.
            GssEncryptionMode = GssEncryptionMode.Disable,
            Timeout = 15,
        };
        if (!string.IsNullOrWhiteSpace(rootCertificate))
        {
            builder.RootCertificate = rootCertificate;
        }

        return builder.ConnectionString;
    }
}
