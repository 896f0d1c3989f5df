using System.Data.Common;
using System.Globalization;
using DataRights.Core.Requests;
using DataRights.Core.Retention;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;

namespace DataRights.Host.Sources;

/// <summary>
/// A SQL source driven entirely by its registration, whatever the database: per category, the
/// operator's own parameterised statements find a person's records, delete or mask them; a retained
/// category is only counted, with its legal basis and the date its retention ends. Nothing from a
/// request is ever put into SQL text: identities and record keys are bound as parameters, and the
/// parameter names come only from <see cref="SourceRegistrationValidator.QueryParameters"/>.
/// A provider supplies connections, a write transaction and how placeholders are bound.
/// </summary>
public abstract class SqlSourceConnector(SourceRegistration registration, byte[] maskKey, TimeProvider time, ILogger? logger = null) : IDataSourceConnector, IActionTarget
{
    /// <summary>The database's name in messages to staff, such as <c>SQLite</c>.</summary>
    protected abstract string Provider { get; }

    /// <summary>Why the database cannot be reached before trying (a missing file), as a code for the log, or null.</summary>
    protected virtual string? Unreachable() => null;

    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Runs reads (discover, export, the connection test) on one connection; a provider may wrap them in a read-only transaction.</summary>
    protected virtual async Task<T> ReadAsync<T>(Func<DbConnection, DbTransaction?, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await work(connection, null);
    }

    /// <summary>Throws <see cref="NotReadOnlyStatementException"/> before a discover or export statement that would change data runs.</summary>
    protected virtual void EnsureReadOnly(DbCommand command)
    {
    }

    /// <summary>The class of a failed connection test (see <see cref="ConnectionTest.Error"/>) and a code for the log, never the database's own text.</summary>
    protected virtual (string Error, string Code) Describe(Exception exception) => exception switch
    {
        NotReadOnlyStatementException => ("not-read-only", "not-read-only"),
        _ => ("database", exception.GetType().Name),
    };

    /// <summary>Runs <paramref name="work"/> in one write transaction and returns once it is committed.</summary>
    protected abstract Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the command text for <paramref name="sql"/> and binds each allowed parameter it uses
    /// (<c>$email</c> and the others) from <paramref name="values"/>, never by splicing a value into the text.
    /// </summary>
    protected abstract void Bind(DbCommand command, string sql, IReadOnlyDictionary<string, object?> values);

    /// <summary>The registration this connector serves.</summary>
    protected SourceRegistration Registration => registration;

    /// <summary>Further checks of the connection test, changing nothing; returns what to add to its message.</summary>
    protected virtual Task<string> CheckMoreAsync(DbConnection connection, CancellationToken cancellationToken) => Task.FromResult(string.Empty);

    /// <summary>Retention purge by age; a provider without one reports it cannot.</summary>
    public virtual Task<PurgeOutcome> PurgeAsync(PurgeCommand command, CancellationToken cancellationToken) =>
        Task.FromResult(PurgeOutcome.NotSupported($"Retention purges are not built for {Provider} sources yet; purge by hand."));

    /// <summary>
    /// Opens the database and runs every discover and export statement with no identity bound (they find
    /// nothing), so a wrong table or column shows now. A failure answers with a plain message and its class;
    /// the database's own text never reaches the caller (it can carry data), and the log gets only a code.
    /// </summary>
    public async Task<ConnectionTest> TestAsync(CancellationToken cancellationToken)
    {
        if (Unreachable() is { } missing)
        {
            // The same answer as any other failure to open or query: the test does not tell whether a file exists.
            return Failed("database", missing);
        }

        try
        {
            var nobody = new SubjectIdentity("nobody@invalid", string.Empty, null);
            return await ReadAsync(
                async (connection, transaction) =>
                {
                    var discover = registration.Categories.Where(c => c.Queries.ContainsKey("discover")).ToList();
                    foreach (var category in discover)
                    {
                        await FindAsync(connection, transaction, category, nobody, cancellationToken);
                    }

                    var export = registration.Categories.Where(c => c.Queries.ContainsKey("export")).ToList();
                    foreach (var category in export)
                    {
                        await using var command = Command(connection, transaction, category.Queries["export"], nobody, null, null);
                        EnsureReadOnly(command);
                        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                    }

                    var more = await CheckMoreAsync(connection, cancellationToken);
                    return new ConnectionTest(true, $"Reached the database and ran {discover.Count} discovery and {export.Count} export queries{more}.");
                },
                cancellationToken);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or IndexOutOfRangeException or IOException or TimeoutException
            or System.Security.Authentication.AuthenticationException or System.Net.Sockets.SocketException)
        {
            var (error, code) = Describe(ex);
            return Failed(error, code);
        }
    }

    private ConnectionTest Failed(string error, string code)
    {
        logger?.SqlSourceTestFailed(registration.Key, error, code);
        return new ConnectionTest(false, error switch
        {
            "unreachable" => "Could not reach the database server.",
            "tls" => "The database server offered no encrypted connection that could be verified; TLS is required.",
            "authentication" => "The database server refused the sign-in.",
            "not-read-only" => "A discover or export statement would change data; they must only read.",
            _ => $"The {Provider} database could not be opened, or one of the registration's statements failed on it. The log has the error code.",
        }, error);
    }

    public async Task<DiscoveryFindings> DiscoverAsync(SourceCall call, CancellationToken cancellationToken)
    {
        var subject = call.Subject;
        return await ReadAsync(
            async (connection, transaction) =>
            {
                var total = 0;
                var categories = new List<string>();
                var accountMatched = false;
                var matched = new HashSet<string>(StringComparer.Ordinal);
                foreach (var category in registration.Categories.Where(c => c.Queries.ContainsKey("discover")))
                {
                    var records = await FindAsync(connection, transaction, category, subject, cancellationToken, matched);
                    if (records.Count > 0)
                    {
                        total += records.Count;
                        categories.Add(category.Key);
                        accountMatched |= subject.AccountReference is not null && category.Queries["discover"].Contains("$account_id", StringComparison.Ordinal);
                    }
                }

                return new DiscoveryFindings(total, categories, accountMatched) { MatchedDataPoints = subject.DataPoints.Count == 0 ? null : [.. matched] };
            },
            cancellationToken);
    }

    public async Task<ExecutionOutcome> ExecuteAsync(SourceCall call, RequestType action, ActionInstructions? instructions, CancellationToken cancellationToken)
    {
        var subject = call.Subject;
        if (SourceActions.Route(this, subject, action, instructions, cancellationToken) is { } other)
        {
            return await other;
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        return await WriteAsync(
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
                                retained.Add(new RetainedRecords(category.Key, kept.Count, category.LegalBasis!, period.From(kept.Max(r => r.Date ?? today))) { Ground = ErasureExceptions.GroundOf(category) });
                            }

                            break;
                    }
                }

                return new ExecutionOutcome(erased, masked, 0, 0, retained);
            },
            cancellationToken);
    }

    /// <summary>Runs each correction's <c>rectify.field</c> query in every category that has one, in one transaction.</summary>
    Task<ExecutionOutcome> IActionTarget.RectifyAsync(SubjectIdentity subject, IReadOnlyList<Correction> corrections, CancellationToken cancellationToken) =>
        WriteAsync(
            async (connection, transaction) =>
            {
                var corrected = 0;
                var unsupported = new List<string>();
                foreach (var correction in corrections)
                {
                    var queries = registration.Categories.Select(c => c.Queries.GetValueOrDefault("rectify." + correction.Field)).OfType<string>().ToList();
                    if (queries.Count == 0)
                    {
                        unsupported.Add(correction.Field);
                    }

                    foreach (var sql in queries)
                    {
                        await using var command = Command(connection, transaction, sql, subject, null, null, correction.Value);
                        corrected += await command.ExecuteNonQueryAsync(cancellationToken);
                    }
                }

                return new ExecutionOutcome(0, 0, 0, corrected, [],
                    Correction.NotChangedNote(unsupported)) { NotCorrected = unsupported };
            },
            cancellationToken);

    /// <summary>Marks (or, when lifting, releases) the person's records with each category's <c>restrict</c> / <c>unrestrict</c> query.</summary>
    Task<ExecutionOutcome> IActionTarget.RestrictAsync(SubjectIdentity subject, bool lift, CancellationToken cancellationToken) =>
        WriteAsync(
            async (connection, transaction) =>
            {
                var queries = registration.Categories.Select(c => c.Queries.GetValueOrDefault(lift ? "unrestrict" : "restrict")).OfType<string>().ToList();
                var changed = 0;
                foreach (var sql in queries)
                {
                    await using var command = Command(connection, transaction, sql, subject, null, null);
                    changed += await command.ExecuteNonQueryAsync(cancellationToken);
                }

                return queries.Count == 0
                    ? ExecutionOutcome.Nothing with { Note = "This system cannot mark records as restricted automatically; the privacy team makes sure they are not used." }
                    : new ExecutionOutcome(0, 0, 0, 0, []) { Restricted = changed };
            },
            cancellationToken);

    /// <summary>An objection to direct marketing: deletes the person's records in the source's <c>marketing.*</c> categories.</summary>
    Task<ExecutionOutcome> IActionTarget.UnsubscribeAsync(SubjectIdentity subject, CancellationToken cancellationToken) =>
        WriteAsync(
            async (connection, transaction) =>
            {
                var removed = 0;
                foreach (var category in registration.Categories.Where(c => c.Key.StartsWith(CategoryPolicy.MarketingPrefix, StringComparison.Ordinal) && c.Queries.ContainsKey("delete")))
                {
                    var records = await FindAsync(connection, transaction, category, subject, cancellationToken);
                    removed += await RunPerRecordAsync(connection, transaction, category.Queries["delete"], records, subject, null, cancellationToken);
                }

                return new ExecutionOutcome(removed, 0, 0, 0, [], removed > 0 ? "You are unsubscribed from marketing here." : null);
            },
            cancellationToken);

    private object MaskValue(CategoryPolicy category, SubjectIdentity subject) => MaskValues.For(category, subject, maskKey) ?? (object)DBNull.Value;

    /// <summary>
    /// The person's records in one category. With <paramref name="matched"/>, also which of the requester's details
    /// (<see cref="SubjectIdentity.DataPoints"/>) the records hold: a discover query names the identity fields it can
    /// match as columns <c>identity_{field}</c> (<c>amount_pence AS identity_last_invoice_amount</c>), compared as
    /// <see cref="Core.Verification.GivenDataPoint.Comparable(string?, string)"/>. Names only are kept; the query stays read-only.
    /// </summary>
    private async Task<List<(object Key, DateOnly? Date)>> FindAsync(
        DbConnection connection, DbTransaction? transaction, CategoryPolicy category, SubjectIdentity subject, CancellationToken cancellationToken, ISet<string>? matched = null)
    {
        await using var command = Command(connection, transaction, category.Queries["discover"], subject, null, null);
        EnsureReadOnly(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keyOrdinal = reader.GetOrdinal("record_key");
        var dateOrdinal = Enumerable.Range(0, reader.FieldCount).FirstOrDefault(i => reader.GetName(i) == "record_date", -1);
        var identity = matched is null || subject.DataPoints.Count == 0 ? [] : Enumerable.Range(0, reader.FieldCount)
            .Where(i => reader.GetName(i).StartsWith(IdentityColumnPrefix, StringComparison.Ordinal))
            .Select(i => (Ordinal: i, Field: reader.GetName(i)[IdentityColumnPrefix.Length..]))
            .ToList();
        var records = new List<(object, DateOnly?)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            DateOnly? date = dateOrdinal >= 0 && !reader.IsDBNull(dateOrdinal) ? RecordDate(reader.GetValue(dateOrdinal)) : null;
            records.Add((reader.GetValue(keyOrdinal), date));
            foreach (var (ordinal, field) in identity)
            {
                var held = reader.IsDBNull(ordinal) ? string.Empty : Core.Verification.GivenDataPoint.Comparable(field, Convert.ToString(reader.GetValue(ordinal), CultureInfo.InvariantCulture) ?? string.Empty);
                foreach (var given in subject.DataPoints.Where(d => d.Field == field && held.Length > 0 && d.Value == held))
                {
                    matched!.Add(given.Name);
                }
            }
        }

        return records;
    }

    /// <summary>The prefix of a discover query's columns that hold an identity field to match the requester's details against.</summary>
    public const string IdentityColumnPrefix = "identity_";

    // SQLite hands dates back as text; PostgreSQL as date or timestamp values.
    private static DateOnly RecordDate(object value) => value switch
    {
        DateOnly date => date,
        DateTime dateTime => DateOnly.FromDateTime(dateTime.Kind == DateTimeKind.Local ? dateTime.ToUniversalTime() : dateTime),
        DateTimeOffset offset => DateOnly.FromDateTime(offset.UtcDateTime),
        _ => DateOnly.FromDateTime(DateTime.Parse(Convert.ToString(value, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)),
    };

    private async Task<int> RunPerRecordAsync(
        DbConnection connection, DbTransaction transaction, string sql, List<(object Key, DateOnly? Date)> records, SubjectIdentity subject, object? mask, CancellationToken cancellationToken)
    {
        var changed = 0;
        foreach (var (key, _) in records)
        {
            await using var command = Command(connection, transaction, sql, subject, key, mask);
            changed += await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return changed;
    }

    private DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, SubjectIdentity subject, object? recordKey, object? mask, string? value = null)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        Bind(command, sql, new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["$email"] = subject.Email,
            ["$account_id"] = subject.AccountReference,
            ["$name"] = subject.FullName,
            ["$record_key"] = recordKey,
            ["$mask"] = mask,
            ["$value"] = value,
        });
        return command;
    }

    /// <summary>
    /// Runs each category's <c>export</c> query for the person and streams its rows; categories without
    /// one are counted and named in the note, so the person is told they exist.
    /// </summary>
    public async Task<ExecutionOutcome> ExportAsync(SourceCall call, IExportSink sink, CancellationToken cancellationToken)
    {
        return await ReadAsync(
            async (connection, transaction) =>
            {
                var exported = 0;
                var notExported = new List<string>();
                foreach (var category in registration.Categories)
                {
                    if (category.Queries.TryGetValue("export", out var sql))
                    {
                        await using var command = Command(connection, transaction, sql, call.Subject, null, null);
                        EnsureReadOnly(command);
                        exported += await SqlExport.CopyAsync(command, sink, category.Key, category.Key, category.Provided, cancellationToken);
                    }
                    else if (category.Queries.ContainsKey("discover") && (await FindAsync(connection, transaction, category, call.Subject, cancellationToken)).Count is > 0 and var count)
                    {
                        notExported.Add($"{(string.IsNullOrWhiteSpace(category.DisplayName) ? category.Key : category.DisplayName)} ({count})");
                    }
                }

                return new ExecutionOutcome(0, 0, exported, 0, [],
                    notExported.Count == 0 ? null : $"Records we hold but could not copy automatically: {string.Join(", ", notExported)}. The privacy team will send them.");
            },
            cancellationToken);
    }
}
