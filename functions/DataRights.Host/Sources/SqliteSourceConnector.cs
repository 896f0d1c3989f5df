using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DataRights.Core.Requests;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Core.Text;
using DataRights.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace DataRights.Host.Sources;

/// <summary>
/// A SQL source on SQLite, driven entirely by its registration: per category, the operator's own
/// parameterised statements find a person's records, delete or mask them; a retained category keeps
/// the records still within their retention (counted, with the legal basis and the date it ends) and
/// deletes those whose retention has ended. Retention purges run the category's purge statement in
/// bounded batches. Nothing from a request is ever put into SQL text: identities, record keys and
/// cutoffs are bound as parameters.
/// </summary>
public sealed class SqliteSourceConnector(SqliteDatabase database, SourceRegistration registration, byte[] maskKey, TimeProvider time) : IDataSourceConnector
{
    /// <summary>Opens the database and runs every discovery query with no identity bound (they find nothing), so a wrong table or column shows now.</summary>
    public async Task<ConnectionTest> TestAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(database.Path))
        {
            return new ConnectionTest(false, "The database file does not exist.");
        }

        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            var nobody = new SubjectIdentity("nobody@invalid", string.Empty, null);
            foreach (var category in registration.Categories.Where(c => c.Queries.ContainsKey("discover")))
            {
                await FindAsync(connection, null, category, nobody, cancellationToken);
            }

            // Purge statements are compiled, not run: a wrong table or column shows without deleting anything.
            var purges = registration.Categories.Where(c => c.Queries.ContainsKey("purge")).ToList();
            connection.CreateFunction<object?, bool>(SourceRegistrationValidator.HeldFunction, _ => false);
            foreach (var category in purges)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = category.Queries["purge"];
                command.Prepare();
            }

            return new ConnectionTest(
                true,
                $"Reached the database and ran {registration.Categories.Count(c => c.Queries.ContainsKey("discover"))} discovery queries" +
                (purges.Count > 0 ? $" and compiled {purges.Count} purge queries." : "."));
        }
        catch (SqliteException ex)
        {
            return new ConnectionTest(false, $"SQLite refused a query: {ex.Message}");
        }
    }

    public async Task<DiscoveryFindings> DiscoverAsync(SourceCall call, CancellationToken cancellationToken)
    {
        var subject = call.Subject;
        await using var connection = await database.OpenAsync(cancellationToken);
        var total = 0;
        var categories = new List<string>();
        var accountMatched = false;
        foreach (var category in registration.Categories.Where(c => c.Queries.ContainsKey("discover")))
        {
            var records = await FindAsync(connection, null, category, subject, cancellationToken);
            if (records.Count > 0)
            {
                total += records.Count;
                categories.Add(category.Key);
                accountMatched |= subject.AccountReference is not null && category.Queries["discover"].Contains("$account_id", StringComparison.Ordinal);
            }
        }

        return new DiscoveryFindings(total, categories, accountMatched);
    }

    public async Task<ExecutionOutcome> ExecuteAsync(SourceCall call, RequestType action, string? instructions, CancellationToken cancellationToken)
    {
        var subject = call.Subject;
        if (action != RequestType.Erasure)
        {
            return ExecutionOutcome.Nothing with { Note = $"This source cannot carry out {action.Name()} requests automatically yet; the privacy team handles it by hand." };
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        return await database.WriteAsync(
            async (connection, transaction) =>
            {
                int erased = 0, masked = 0;
                var retained = new List<RetainedRecords>();
                foreach (var category in registration.Categories.Where(c => c.Queries.ContainsKey("discover")))
                {
                    var records = await FindAsync(connection, transaction, category, subject, cancellationToken);
                    if (records.Count == 0)
                    {
                        continue;
                    }

                    switch (category.Strategy)
                    {
                        case "delete":
                            erased += await RunPerRecordAsync(connection, transaction, category.Queries["delete"], records, subject, null, cancellationToken);
                            break;
                        case "mask":
                            masked += await RunPerRecordAsync(connection, transaction, category.Queries["mask"], records, subject, MaskValue(category, subject), cancellationToken);
                            break;
                        case "retain":
                            // Each record is kept through its own retention; those past it go, when the
                            // registration says how (a delete query), and the rest are told with the date the last one ends.
                            RetentionPeriod.TryParse(category.RetentionPeriod, out var period);
                            var ended = category.Queries.ContainsKey("delete")
                                ? records.Where(r => r.Date is { } date && period.From(date) < today).ToList()
                                : [];
                            var kept = records.Except(ended).ToList();
                            if (ended.Count > 0)
                            {
                                erased += await RunPerRecordAsync(connection, transaction, category.Queries["delete"], ended, subject, null, cancellationToken);
                            }

                            if (kept.Count > 0)
                            {
                                retained.Add(new RetainedRecords(category.Key, kept.Count, category.LegalBasis!, period.From(kept.Max(r => r.Date ?? today))));
                            }

                            break;
                    }
                }

                return new ExecutionOutcome(erased, masked, 0, 0, retained);
            },
            cancellationToken);
    }

    private object MaskValue(CategoryPolicy category, SubjectIdentity subject) => category.Mask switch
    {
        "fixed" => category.MaskValue!,
        // A keyed hash keeps rows of one person linkable (for totals) without saying who they were.
        "keyed_hash" => "erased:" + Convert.ToHexStringLower(HMACSHA256.HashData(maskKey, Encoding.UTF8.GetBytes(category.Key + "\u001f" + subject.Email)))[..24],
        _ => DBNull.Value,
    };

    private static async Task<List<(object Key, DateOnly? Date)>> FindAsync(
        SqliteConnection connection, SqliteTransaction? transaction, CategoryPolicy category, SubjectIdentity subject, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, category.Queries["discover"], subject, null, null);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keyOrdinal = reader.GetOrdinal("record_key");
        var dateOrdinal = Enumerable.Range(0, reader.FieldCount).FirstOrDefault(i => reader.GetName(i) == "record_date", -1);
        var records = new List<(object, DateOnly?)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            DateOnly? date = dateOrdinal >= 0 && !reader.IsDBNull(dateOrdinal)
                ? DateOnly.FromDateTime(DateTime.Parse(reader.GetString(dateOrdinal), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal))
                : null;
            records.Add((reader.GetValue(keyOrdinal), date));
        }

        return records;
    }

    private static async Task<int> RunPerRecordAsync(
        SqliteConnection connection, SqliteTransaction transaction, string sql, List<(object Key, DateOnly? Date)> records, SubjectIdentity subject, object? mask, CancellationToken cancellationToken)
    {
        var changed = 0;
        foreach (var (key, _) in records)
        {
            await using var command = Command(connection, transaction, sql, subject, key, mask);
            changed += await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return changed;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, SubjectIdentity subject, object? recordKey, object? mask)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        Bind(command, sql, "$email", subject.Email);
        Bind(command, sql, "$account_id", subject.AccountReference);
        Bind(command, sql, "$name", subject.FullName);
        Bind(command, sql, "$phone", null);
        Bind(command, sql, "$record_key", recordKey);
        Bind(command, sql, "$mask", mask);
        return command;
    }

    private static void Bind(SqliteCommand command, string sql, string name, object? value)
    {
        if (sql.Contains(name, StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
    }

    /// <summary>
    /// Runs the category's purge statement once: at most <see cref="PurgeCommand.BatchSize"/> records dated
    /// before the cutoff, in one durable transaction, sparing people under a hold through
    /// <c>datarights_held(email)</c>. A dry run deletes everything due inside a savepoint, counts it and
    /// rolls it back, so it reports exactly what the statement would remove.
    /// </summary>
    public async Task<PurgeOutcome> PurgeAsync(PurgeCommand command, CancellationToken cancellationToken)
    {
        var category = registration.Categories.FirstOrDefault(c => c.Key == command.Category);
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
