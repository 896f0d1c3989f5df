using System.Globalization;
using DataRights.Core.Sources.Registry;
using Microsoft.Data.Sqlite;

namespace DataRights.Host.Sources;

/// <summary>
/// The demo sources of the stand-alone run, modelled on a small UK telecom, region-tagged: the CRM;
/// billing, whose invoices are kept 7 years (tax law) while payment cards are deleted and the
/// account's contact details masked; call detail and SMS records; call-recording metadata; support
/// tickets (masked); newsletter subscribers. All hold the same 300 fake people (<see cref="DemoCrmConnector.Person"/>).
/// Dated categories carry a retention purge statement (every tenth billing account is closed, for the
/// account-closure rule); invoices past their 7 years are deleted when an erasure is followed up.
/// Records are dated relative to the day a database is seeded (<see cref="SeedDates"/>), so a real purge
/// right after seeding removes only what is past the sample policy's retention, and keeps the rest.
/// </summary>
public static class DemoSources
{
    public static IReadOnlyList<SourceRegistration> Registrations { get; } =
    [
        new()
        {
            Key = "crm", DisplayName = "Customer records (CRM)", ConnectorType = "demo-crm", Access = "read-write", Region = "eu-west",
            IdentityFields = ["email", "account_id"],
            Categories =
            [
                new() { Key = "contact.name", DisplayName = "Name", Strategy = "delete" },
                new() { Key = "contact.email", DisplayName = "Email address", Strategy = "delete" },
                new() { Key = "contact.phone", DisplayName = "Phone number", Strategy = "delete" },
                new() { Key = "account.id", DisplayName = "Account number", Strategy = "delete" },
                new() { Key = "crm.note", DisplayName = "Account notes", Strategy = "delete" },
            ],
            Purposes = ["To manage your account and contact you about your services"],
            Recipients = ["Our CRM hosting provider, a processor in the UK <privacy@crm-host.example>"],
        },
        new()
        {
            Key = "billing", DisplayName = "Billing", ConnectorType = "sqlite", Access = "read-write", Region = "eu-west",
            Connection = new Dictionary<string, string> { ["path"] = "billing.db" },
            IdentityFields = ["email"],
            Categories =
            [
                new()
                {
                    Key = "billing.invoice", DisplayName = "Invoices", Strategy = "retain", RetentionPeriod = "P7Y", Ground = "legal-obligation",
                    LegalBasis = "UK tax law requires invoices to be kept (we keep them 7 years)",
                    Queries = new Dictionary<string, string>
                    {
                        // The last invoice's amount is an identity field a requester may give to prove who they are.
                        ["discover"] = "SELECT id AS record_key, issued_on AS record_date, CASE WHEN issued_on = (SELECT MAX(issued_on) FROM invoices WHERE customer_email = $email) THEN amount_pence END AS identity_last_invoice_amount FROM invoices WHERE customer_email = $email",
                        ["export"] = "SELECT id AS invoice_number, issued_on, amount_pence FROM invoices WHERE customer_email = $email ORDER BY id",
                        ["delete"] = "DELETE FROM invoices WHERE id = $record_key",
                        ["purge"] = "DELETE FROM invoices WHERE id IN (SELECT id FROM invoices WHERE issued_on < $cutoff AND NOT datarights_held(customer_email) LIMIT $batch)",
                    },
                },
                new()
                {
                    Key = "billing.payment_card", DisplayName = "Payment cards", Strategy = "delete",
                    Queries = new Dictionary<string, string>
                    {
                        ["discover"] = "SELECT id AS record_key FROM payment_cards WHERE customer_email = $email",
                        ["export"] = "SELECT last4 AS card_last_four_digits, expires FROM payment_cards WHERE customer_email = $email ORDER BY id",
                        ["delete"] = "DELETE FROM payment_cards WHERE id = $record_key",
                    },
                },
                new()
                {
                    Key = "contact.email", DisplayName = "Billing account details", Strategy = "mask", Mask = "keyed_hash", Provided = true,
                    Queries = new Dictionary<string, string>
                    {
                        ["discover"] = "SELECT id AS record_key, account_id AS identity_account_id FROM accounts WHERE email = $email",
                        ["export"] = "SELECT account_id, email, full_name FROM accounts WHERE email = $email ORDER BY id",
                        ["mask"] = "UPDATE accounts SET email = $mask, full_name = '[erased]' WHERE id = $record_key",
                        ["rectify.name"] = "UPDATE accounts SET full_name = $value WHERE email = $email",
                        ["rectify.email"] = "UPDATE accounts SET email = $value WHERE email = $email",
                        ["purge"] = "DELETE FROM accounts WHERE id IN (SELECT id FROM accounts WHERE closed_on < $cutoff AND NOT datarights_held(email) LIMIT $batch)",
                    },
                },
            ],
            Purposes = ["To bill you for your services", "To keep the accounting records tax law requires"],
            Recipients = ["Our payment processor, for card payments <dpo@payments.example>", "Our accountants, who audit the accounts"],
        },
        Sql("telephony", "Call and SMS records", "us-east", "telephony.db",
            Delete("telephony.cdr", "Call records", "SELECT id AS record_key, started_at AS record_date FROM cdrs WHERE caller_email = $email", "DELETE FROM cdrs WHERE id = $record_key",
                "SELECT callee AS number_called, started_at, seconds FROM cdrs WHERE caller_email = $email ORDER BY id",
                "DELETE FROM cdrs WHERE id IN (SELECT id FROM cdrs WHERE started_at < $cutoff AND NOT datarights_held(caller_email) LIMIT $batch)"),
            Delete("telephony.sms", "Text message (SMS) records", "SELECT id AS record_key, sent_at AS record_date FROM sms WHERE sender_email = $email", "DELETE FROM sms WHERE id = $record_key",
                "SELECT recipient, sent_at FROM sms WHERE sender_email = $email ORDER BY id",
                "DELETE FROM sms WHERE id IN (SELECT id FROM sms WHERE sent_at < $cutoff AND NOT datarights_held(sender_email) LIMIT $batch)")),
        Sql("recordings", "Call recordings (metadata)", "us-west", "recordings.db",
            Delete("telephony.recording", "Call recordings", "SELECT id AS record_key, recorded_at AS record_date FROM recordings WHERE customer_email = $email", "DELETE FROM recordings WHERE id = $record_key",
                "SELECT recorded_at, storage_uri AS recording_file FROM recordings WHERE customer_email = $email ORDER BY id",
                "DELETE FROM recordings WHERE id IN (SELECT id FROM recordings WHERE recorded_at < $cutoff AND NOT datarights_held(customer_email) LIMIT $batch)")),
        Sql("support", "Support tickets", "eu-west", "support.db",
            new CategoryPolicy
            {
                Key = "support.ticket", DisplayName = "Support tickets", Strategy = "mask", Mask = "fixed", MaskValue = "[erased]",
                Queries = new Dictionary<string, string>
                {
                    ["discover"] = "SELECT id AS record_key, opened_at AS record_date FROM tickets WHERE requester_email = $email",
                    ["export"] = "SELECT id AS ticket_number, subject, opened_at FROM tickets WHERE requester_email = $email ORDER BY id",
                    ["mask"] = "UPDATE tickets SET requester_email = $mask, requester_name = $mask WHERE id = $record_key",
                    ["rectify.name"] = "UPDATE tickets SET requester_name = $value WHERE requester_email = $email",
                    ["rectify.email"] = "UPDATE tickets SET requester_email = $value WHERE requester_email = $email",
                },
            }),
        Sql("newsletter", "Newsletter subscribers", "eu-west", "newsletter.db",
            Delete("marketing.subscription", "Newsletter subscription", "SELECT id AS record_key, subscribed_at AS record_date FROM subscribers WHERE email = $email", "DELETE FROM subscribers WHERE id = $record_key",
                "SELECT email, subscribed_at FROM subscribers WHERE email = $email ORDER BY id", provided: true) with
            {
                Queries = new Dictionary<string, string>
                {
                    ["discover"] = "SELECT id AS record_key, subscribed_at AS record_date FROM subscribers WHERE email = $email",
                    ["delete"] = "DELETE FROM subscribers WHERE id = $record_key",
                    ["export"] = "SELECT email, subscribed_at FROM subscribers WHERE email = $email ORDER BY id",
                    ["restrict"] = "UPDATE subscribers SET restricted = 1 WHERE email = $email",
                    ["unrestrict"] = "UPDATE subscribers SET restricted = 0 WHERE email = $email",
                },
            }),
    ];

    private static SourceRegistration Sql(string key, string name, string region, string path, params CategoryPolicy[] categories) => new()
    {
        Key = key, DisplayName = name, ConnectorType = "sqlite", Access = "read-write", Region = region,
        Connection = new Dictionary<string, string> { ["path"] = path },
        IdentityFields = ["email"],
        Categories = categories,
    };

    private static CategoryPolicy Delete(string key, string name, string discover, string delete, string export, string? purge = null, bool provided = false) => new()
    {
        Key = key, DisplayName = name, Strategy = "delete", Provided = provided,
        Queries = purge is null
            ? new Dictionary<string, string> { ["discover"] = discover, ["delete"] = delete, ["export"] = export }
            : new Dictionary<string, string> { ["discover"] = discover, ["delete"] = delete, ["export"] = export, ["purge"] = purge },
    };

    private static readonly Dictionary<string, (string Schema, string PerPerson)> Databases = new(StringComparer.Ordinal)
    {
        ["billing.db"] = (
            """
            CREATE TABLE accounts (id INTEGER PRIMARY KEY, account_id TEXT NOT NULL, email TEXT NOT NULL, full_name TEXT NOT NULL, closed_on TEXT);
            CREATE INDEX ix_accounts_email ON accounts (email);
            CREATE TABLE invoices (id INTEGER PRIMARY KEY, customer_email TEXT NOT NULL, issued_on TEXT NOT NULL, amount_pence INTEGER NOT NULL);
            CREATE INDEX ix_invoices_email ON invoices (customer_email);
            CREATE TABLE payment_cards (id INTEGER PRIMARY KEY, customer_email TEXT NOT NULL, last4 TEXT NOT NULL, expires TEXT NOT NULL);
            CREATE INDEX ix_cards_email ON payment_cards (customer_email);
            """,
            "INSERT INTO accounts (account_id, email, full_name, closed_on) VALUES ($account, $email, $name, CASE WHEN $n % 10 = 0 THEN date($d3, '+9 days') END);" +
            "INSERT INTO invoices (customer_email, issued_on, amount_pence) VALUES ($email, $d1, 3499), ($email, $d2, 3499), ($email, $d3, 4199);" +
            "INSERT INTO payment_cards (customer_email, last4, expires) VALUES ($email, $last4, '2028-09');"),
        ["telephony.db"] = (
            """
            CREATE TABLE cdrs (id INTEGER PRIMARY KEY, caller_email TEXT NOT NULL, callee TEXT NOT NULL, started_at TEXT NOT NULL, seconds INTEGER NOT NULL);
            CREATE INDEX ix_cdrs_caller ON cdrs (caller_email);
            CREATE TABLE sms (id INTEGER PRIMARY KEY, sender_email TEXT NOT NULL, recipient TEXT NOT NULL, sent_at TEXT NOT NULL);
            CREATE INDEX ix_sms_sender ON sms (sender_email);
            """,
            "INSERT INTO cdrs (caller_email, callee, started_at, seconds) VALUES ($email, '+44 20 7946 0018', $d2, 184), ($email, '+44 161 496 0452', $d3, 42);" +
            "INSERT INTO sms (sender_email, recipient, sent_at) VALUES ($email, '+44 7700 900461', $d3);"),
        ["recordings.db"] = (
            """
            CREATE TABLE recordings (id INTEGER PRIMARY KEY, customer_email TEXT NOT NULL, recorded_at TEXT NOT NULL, storage_uri TEXT NOT NULL);
            CREATE INDEX ix_recordings_email ON recordings (customer_email);
            """,
            "INSERT INTO recordings (customer_email, recorded_at, storage_uri) VALUES ($email, $day, 'recordings/' || $n || '.wav');"),
        ["support.db"] = (
            """
            CREATE TABLE tickets (id INTEGER PRIMARY KEY, requester_email TEXT NOT NULL, requester_name TEXT NOT NULL, subject TEXT NOT NULL, opened_at TEXT NOT NULL);
            CREATE INDEX ix_tickets_email ON tickets (requester_email);
            """,
            "INSERT INTO tickets (requester_email, requester_name, subject, opened_at) VALUES ($email, $name, 'Broadband keeps dropping', $d2);"),
        ["newsletter.db"] = (
            """
            CREATE TABLE subscribers (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, subscribed_at TEXT NOT NULL, restricted INTEGER NOT NULL DEFAULT 0);
            """,
            "INSERT INTO subscribers (email, subscribed_at) VALUES ($email, $d1);"),
    };

    /// <summary>True for a demo SQL registration (also after a round trip through the store), whose database the run seeds.</summary>
    public static bool IsDemo(SourceRegistration r) =>
        r.ConnectorType == "sqlite" && r.Connection.GetValueOrDefault("path") is { } path && Databases.ContainsKey(path)
        && Registrations.Any(d => d.Key == r.Key);

    /// <summary>
    /// Creates an empty file readable and writable by the program's user only (and its folder, owner-only), unless
    /// it exists; SQLite gives its journal files the database file's permissions. Returns <paramref name="path"/>.
    /// </summary>
    public static string CreateOwnerOnly(string path)
    {
        CreateOwnerOnlyFolder(Path.GetDirectoryName(path)!);
        if (!File.Exists(path))
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using var _ = new FileStream(path, options);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Made by another thread in the meantime.
            }
        }

        return path;
    }

    private static void CreateOwnerOnlyFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Creates and seeds a demo database once (the same 300 people everywhere), dated back from <paramref name="today"/>.</summary>
    public static void Ensure(string relativePath, string path, DateOnly today)
    {
        if (File.Exists(path))
        {
            Upgrade(relativePath, path);
            return;
        }

        var (schemaSql, perPerson) = Databases[relativePath];
        var temporary = path + ".seeding";
        CreateOwnerOnlyFolder(Path.GetDirectoryName(path)!);
        File.Delete(temporary);
        CreateOwnerOnly(temporary);
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temporary, Pooling = false }.ToString()))
        {
            connection.Open();
            using var transaction = connection.BeginTransaction();
            using (var schema = connection.CreateCommand())
            {
                schema.Transaction = transaction;
                schema.CommandText = schemaSql;
                schema.ExecuteNonQuery();
            }

            for (var n = 1; n <= DemoCrmConnector.SeededPeople; n++)
            {
                var (name, email, account) = DemoCrmConnector.Person(n);
                using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = perPerson;
                foreach (var (key, value) in new (string, object)[]
                         {
                             ("$account", account), ("$email", email), ("$name", name), ("$n", n),
                             ("$d1", Iso(SeedDates.Month(today, n, 1))), ("$d2", Iso(SeedDates.Month(today, n, 2))), ("$d3", Iso(SeedDates.Month(today, n, 3))), ("$day", Iso(SeedDates.Day(today, n))),
                             ("$last4", (1000 + (n * 37 % 9000)).ToString(CultureInfo.InvariantCulture)),
                         })
                {
                    if (perPerson.Contains(key, StringComparison.Ordinal))
                    {
                        insert.Parameters.AddWithValue(key, value);
                    }
                }

                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        Hosting.OwnerOnlyFiles.Restrict(temporary);
        File.Move(temporary, path);
    }

    // A demo billing database made before accounts had a closure date gets the column (no account closed).
    private static void Upgrade(string relativePath, string path)
    {
        if (relativePath != "billing.db")
        {
            return;
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var check = connection.CreateCommand();
        check.CommandText = "SELECT COUNT(*) FROM pragma_table_info('accounts') WHERE name = 'closed_on'";
        if (Convert.ToInt64(check.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
        {
            using var alter = connection.CreateCommand();
            alter.CommandText = "ALTER TABLE accounts ADD COLUMN closed_on TEXT";
            alter.ExecuteNonQuery();
        }
    }

    /// <summary>The demo billing database (tests and benchmarks use it directly), dated back from <paramref name="today"/>.</summary>
    public static void EnsureBilling(string path, DateOnly today) => Ensure("billing.db", path, today);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
