using System.Data.Common;
using System.Globalization;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Core.Text;
using DataRights.Host.Sources.Sqlite;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace DataRights.Host.Sources;

/// <summary>
/// A SQL source on a SQLite file (connector type <c>sqlite</c>). SQLite binds <c>$name</c> placeholders
/// natively, so the registration's statements run as written; writes go through the database's single writer.
/// Discover and export statements run only when SQLite itself says they are read-only (<c>sqlite3_stmt_readonly</c>).
/// </summary>
public sealed class SqliteSourceConnector(SqliteDatabase database, SourceRegistration registration, byte[] maskKey, TimeProvider time, ILogger? logger = null)
    : SqlSourceConnector(registration, maskKey, time, logger)
{
    protected override string Provider => "SQLite";

    // Opening a missing file would create it: say so in the log only.
    protected override string? Unreachable() => File.Exists(database.Path) ? null : "missing-file";

    protected override void EnsureReadOnly(DbCommand command)
    {
        var connection = (SqliteConnection)command.Connection!;
        var result = raw.sqlite3_prepare_v2(connection.Handle, command.CommandText, out var statement, out var tail);
        using (statement)
        {
            if (result != raw.SQLITE_OK)
            {
                throw new SqliteException("The statement does not compile.", result);
            }

            if (!string.IsNullOrWhiteSpace(tail) || raw.sqlite3_stmt_readonly(statement) == 0)
            {
                throw new NotReadOnlyStatementException("A discover or export statement would change data; it was not run.");
            }
        }
    }

    protected override (string Error, string Code) Describe(Exception exception) => exception is SqliteException sqlite
        ? ("database", $"SQLite {sqlite.SqliteErrorCode}/{sqlite.SqliteExtendedErrorCode}")
        : base.Describe(exception);

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

    /// <summary>Purge statements are compiled, not run: a wrong table or column shows without deleting anything.</summary>
    protected override Task<string> CheckMoreAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var purges = Registration.Categories.Where(c => c.Queries.ContainsKey("purge")).ToList();
        ((SqliteConnection)connection).CreateFunction<object?, bool>(SourceRegistrationValidator.HeldFunction, _ => false);
        foreach (var category in purges)
        {
            using var command = connection.CreateCommand();
            command.CommandText = category.Queries["purge"];
            command.Prepare();
        }

        return Task.FromResult(purges.Count > 0 ? $" and compiled {purges.Count} purge queries" : string.Empty);
    }

    /// <summary>
    /// Runs the category's purge statement once: at most <see cref="PurgeCommand.BatchSize"/> records dated
    /// before the cutoff, in one durable transaction, sparing people under a hold through
    /// <c>datarights_held(email)</c>. A dry run deletes everything due inside a savepoint, counts it and
    /// rolls it back, so it reports exactly what the statement would remove.
    /// </summary>
    public override async Task<PurgeOutcome> PurgeAsync(PurgeCommand command, CancellationToken cancellationToken)
    {
        var category = Registration.Categories.FirstOrDefault(c => c.Key == command.Category);
        if (category is null)
        {
            return PurgeOutcome.NotHeld;
        }

        if (!category.Queries.TryGetValue("purge", out var sql))
        {
            return PurgeOutcome.NotSupported("No purge query is registered for this category (queries.purge in the source's registration).");
        }

        var holds = new HoldFilter(command.HeldSubjects);
        var cutoff = command.Cutoff.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return await database.WriteAsync(
            async (connection, transaction) =>
            {
                connection.CreateFunction<object?, bool>(SourceRegistrationValidator.HeldFunction, holds.IsHeld);
                await using var delete = connection.CreateCommand();
                delete.Transaction = transaction;
                delete.CommandText = sql;
                delete.Parameters.AddWithValue("$cutoff", cutoff);

                // LIMIT -1 is no limit in SQLite: a dry run counts everything due.
                delete.Parameters.AddWithValue("$batch", command.DryRun ? -1 : command.BatchSize);
                if (command.DryRun)
                {
                    const string savepoint = "purge_dry_run";
                    await transaction.SaveAsync(savepoint, cancellationToken);
                    var wouldGo = await delete.ExecuteNonQueryAsync(cancellationToken);
                    await transaction.RollbackAsync(savepoint, cancellationToken);
                    await transaction.ReleaseAsync(savepoint, cancellationToken);
                    return new PurgeOutcome(wouldGo + holds.Count, wouldGo, holds.Count, Complete: true);
                }

                var purged = await delete.ExecuteNonQueryAsync(cancellationToken);

                // The batch that finds fewer than it may take has passed every due record, held ones included.
                var complete = purged < command.BatchSize;
                var held = complete ? holds.Count : 0;
                return new PurgeOutcome(purged + held, purged, held, complete);
            },
            cancellationToken);
    }

    /// <summary>Backs <c>datarights_held(email)</c>: true (and counted) for a person under a hold, matched by the hash holds are kept under.</summary>
    private sealed class HoldFilter(IReadOnlySet<string> held)
    {
        public int Count { get; private set; }

        public bool IsHeld(object? value)
        {
            if (held.Count == 0 || value is not string text || !EmailAddress.TryNormalize(text, out var email) || !held.Contains(LegalHold.HashSubject(email)))
            {
                return false;
            }

            Count++;
            return true;
        }
    }
}
