using System.Globalization;
using DataRights.Core.Requests;
using DataRights.Core.Sources;
using DataRights.Core.Verification;
using DataRights.Host.Sources.Sqlite;
using Microsoft.Data.Sqlite;

namespace DataRights.Host.Sources;

/// <summary>
/// A real SQLite CRM for the stand-alone demo: contacts and notes of a few hundred fake people,
/// created and seeded on first use (deterministic). Discovery counts a person's records; erasure
/// deletes them in one transaction; a second erasure finds nothing and succeeds.
/// </summary>
public sealed class DemoCrmConnector(SqliteDatabase database) : IDataSourceConnector
{
    private static readonly string[] FirstNames = ["Alex", "Sam", "Priya", "Tom", "Aisha", "Ben", "Chloe", "Dan", "Ella", "Farah", "George", "Hana", "Ivan", "Jess", "Kofi", "Lena", "Mo", "Nina", "Omar", "Rosa"];
    private static readonly string[] LastNames = ["Morgan", "Patel", "Smith", "Jones", "Khan", "Brown", "Taylor", "Wilson", "Evans", "Okafor", "Nowak", "Silva", "Murphy", "Chen", "Ahmed"];
    private readonly SemaphoreSlim _ready = new(1, 1);
    private bool _initialized;

    public const int SeededPeople = 300;

    /// <summary>The deterministic seed: person n (1-based) is FirstNames[n % 20] LastNames[n % 15], email first.last.n@example.net.</summary>
    public static (string FullName, string Email, string AccountId) Person(int n)
    {
        var first = FirstNames[n % FirstNames.Length];
        var last = LastNames[n % LastNames.Length];
        return ($"{first} {last}", string.Create(CultureInfo.InvariantCulture, $"{first}.{last}.{n}@example.net").ToLowerInvariant(), string.Create(CultureInfo.InvariantCulture, $"ACC-{1000 + n}"));
    }

    public async Task<ConnectionTest> TestAsync(CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken);
        return new ConnectionTest(true, $"The demo CRM answered ({SeededPeople} people seeded).");
    }

    public async Task<DiscoveryFindings> DiscoverAsync(SourceCall call, CancellationToken cancellationToken)
    {
        var subject = call.Subject;
        await EnsureReadyAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        var contacts = await CountAsync(connection, "SELECT COUNT(*) FROM contacts WHERE email = $email", subject, cancellationToken);
        var notes = await CountAsync(connection, "SELECT COUNT(*) FROM notes WHERE contact_id IN (SELECT id FROM contacts WHERE email = $email)", subject, cancellationToken);
        var accountMatched = subject.AccountReference is not null
            && await CountAsync(connection, "SELECT COUNT(*) FROM contacts WHERE email = $email AND account_id = $account", subject, cancellationToken) > 0;
        var categories = contacts == 0 ? [] : notes == 0
            ? new[] { "contact.name", "contact.email", "contact.phone", "account.id" }
            : ["contact.name", "contact.email", "contact.phone", "account.id", "crm.note"];
        return new DiscoveryFindings(contacts + notes, categories, accountMatched)
        {
            MatchedDataPoints = subject.DataPoints.Count == 0 ? null : await MatchAsync(connection, subject, cancellationToken),
        };
    }

    /// <summary>The identity fields the CRM holds, by the column that holds them.</summary>
    private static readonly Dictionary<string, string> IdentityColumns = new(StringComparer.Ordinal) { ["phone"] = "phone", ["account_id"] = "account_id" };

    /// <summary>Which of the given details the person's contact records hold (compared as <see cref="GivenDataPoint.Comparable(string?, string)"/>): names only, read only.</summary>
    private static async Task<IReadOnlyList<string>> MatchAsync(SqliteConnection connection, SubjectIdentity subject, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT phone, account_id FROM contacts WHERE email = $email";
        command.Parameters.AddWithValue("$email", subject.Email);
        var held = new List<Dictionary<string, string>>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                held.Add(new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["phone"] = reader.IsDBNull(0) ? string.Empty : GivenDataPoint.Comparable(GivenDataPoint.PhoneField, reader.GetString(0)),
                    ["account_id"] = reader.IsDBNull(1) ? string.Empty : GivenDataPoint.Comparable(reader.GetString(1)),
                });
            }
        }

        return [.. subject.DataPoints
            .Where(d => IdentityColumns.TryGetValue(d.Field, out var column) && d.Value.Length > 0 && held.Exists(row => row[column] == d.Value))
            .Select(d => d.Name)
            .Distinct(StringComparer.Ordinal)];
    }

    public async Task<ExecutionOutcome> ExecuteAsync(SourceCall call, RequestType action, ActionInstructions? instructions, CancellationToken cancellationToken)
    {
        var subject = call.Subject;
        await EnsureReadyAsync(cancellationToken);
        if (action == RequestType.Rectification)
        {
            return await RectifyAsync(subject, instructions?.Corrections ?? [], cancellationToken);
        }

        if (action == RequestType.Restriction)
        {
            var lift = instructions?.LiftRestriction == true;
            var restricted = await database.WriteAsync(
                async (connection, transaction) =>
                {
                    await using var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = "UPDATE contacts SET restricted = $flag WHERE email = $email";
                    command.Parameters.AddWithValue("$flag", lift ? 0 : 1);
                    command.Parameters.AddWithValue("$email", subject.Email);
                    return await command.ExecuteNonQueryAsync(cancellationToken);
                },
                cancellationToken);
            return new ExecutionOutcome(0, 0, 0, 0, []) { Restricted = restricted };
        }

        if (action != RequestType.Erasure)
        {
            return ExecutionOutcome.Nothing with { Note = $"This system cannot carry out {action.Name()} requests by itself; our privacy team does it by hand." };
        }

        return await database.WriteAsync(
            async (connection, transaction) =>
            {
                var notes = await DeleteAsync(connection, transaction, "DELETE FROM notes WHERE contact_id IN (SELECT id FROM contacts WHERE email = $email)", subject, cancellationToken);
                var contacts = await DeleteAsync(connection, transaction, "DELETE FROM contacts WHERE email = $email", subject, cancellationToken);
                return new ExecutionOutcome(contacts + notes, 0, 0, 0, []);
            },
            cancellationToken);
    }

    private Task<ExecutionOutcome> RectifyAsync(SubjectIdentity subject, IReadOnlyList<Correction> corrections, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                var corrected = 0;
                foreach (var correction in corrections)
                {
                    var column = correction.Field switch { "name" => "full_name", "email" => "email", "phone" => "phone", _ => null };
                    if (column is null)
                    {
                        continue;
                    }

                    // The column comes from the fixed list above, never from input; the value is a parameter.
                    await using var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = $"UPDATE contacts SET {column} = $value WHERE email = $email";
                    command.Parameters.AddWithValue("$value", correction.Value);
                    command.Parameters.AddWithValue("$email", subject.Email);
                    corrected += await command.ExecuteNonQueryAsync(cancellationToken);
                }

                return new ExecutionOutcome(0, 0, 0, corrected, [],
                    corrections.Any(c => c.Field == "address") ? "The CRM holds no postal address." : null)
                { NotCorrected = [.. corrections.Where(c => c.Field == "address").Select(c => c.Field)] };
            },
            cancellationToken);

    /// <summary>The person's contact record and notes, as they are stored.</summary>
    public async Task<ExecutionOutcome> ExportAsync(SourceCall call, IExportSink sink, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        var exported = 0;
        foreach (var (table, category, provided, sql) in new[]
                 {
                     ("contacts", "contact.email", true, "SELECT full_name, email, phone, account_id FROM contacts WHERE email = $email ORDER BY id"),
                     ("notes", "crm.note", false, "SELECT n.body FROM notes n JOIN contacts c ON c.id = n.contact_id WHERE c.email = $email ORDER BY n.id"),
                 })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$email", call.Subject.Email);
            exported += await SqlExport.CopyAsync(command, sink, category, table, provided, cancellationToken);
        }

        return new ExecutionOutcome(0, 0, exported, 0, []);
    }

    private async Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }

        await _ready.WaitAsync(cancellationToken);
        try
        {
            if (!_initialized)
            {
                await SqliteMigrator.MigrateAsync(database, [Schema, "ALTER TABLE contacts ADD COLUMN restricted INTEGER NOT NULL DEFAULT 0;"], cancellationToken);
                await SeedAsync(cancellationToken);
                _initialized = true;
            }
        }
        finally
        {
            _ready.Release();
        }
    }

    private Task SeedAsync(CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                await using (var check = connection.CreateCommand())
                {
                    check.Transaction = transaction;
                    check.CommandText = "SELECT COUNT(*) FROM contacts";
                    if (Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0)
                    {
                        return 0;
                    }
                }

                for (var n = 1; n <= SeededPeople; n++)
                {
                    var (name, email, account) = Person(n);
                    await using var insert = connection.CreateCommand();
                    insert.Transaction = transaction;
                    insert.CommandText =
                        "INSERT INTO contacts (id, full_name, email, phone, account_id) VALUES ($id, $name, $email, $phone, $account);" +
                        "INSERT INTO notes (contact_id, body) SELECT $id, 'Called about their broadband contract.' WHERE $id % 3 = 0;" +
                        "INSERT INTO notes (contact_id, body) SELECT $id, 'Asked for a callback after 5pm.' WHERE $id % 5 = 0;";
                    insert.Parameters.AddWithValue("$id", n);
                    insert.Parameters.AddWithValue("$name", name);
                    insert.Parameters.AddWithValue("$email", email);
                    insert.Parameters.AddWithValue("$phone", string.Create(CultureInfo.InvariantCulture, $"+44 7700 9{n:D5}"));
                    insert.Parameters.AddWithValue("$account", account);
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }

                return SeededPeople;
            },
            cancellationToken);

    private static async Task<int> CountAsync(SqliteConnection connection, string sql, SubjectIdentity subject, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$email", subject.Email);
        command.Parameters.AddWithValue("$account", (object?)subject.AccountReference ?? DBNull.Value);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task<int> DeleteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, SubjectIdentity subject, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$email", subject.Email);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private const string Schema = """
        CREATE TABLE contacts (
            id         INTEGER PRIMARY KEY,
            full_name  TEXT NOT NULL,
            email      TEXT NOT NULL,
            phone      TEXT,
            account_id TEXT
        );
        CREATE INDEX ix_contacts_email ON contacts (email);
        CREATE INDEX ix_contacts_account ON contacts (account_id);
        CREATE TABLE notes (
            id         INTEGER PRIMARY KEY,
            contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
            body       TEXT NOT NULL
        );
        CREATE INDEX ix_notes_contact ON notes (contact_id);
        """;

    /// <summary>The demo CRM keeps no dates to purge by: its contacts go only on erasure.</summary>
    public Task<PurgeOutcome> PurgeAsync(PurgeCommand command, CancellationToken cancellationToken) =>
        Task.FromResult(PurgeOutcome.NotSupported("The demo CRM keeps no record dates, so it cannot be purged by age."));
}
