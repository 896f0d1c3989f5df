using System.Globalization;
using DataRights.Core.Sources.Registry;
using Microsoft.Data.Sqlite;

namespace DataRights.Host.Sources;

/// <summary>
/// The demo sources of the stand-alone run, modelled on a small UK telecom: the CRM, and a billing
/// system whose invoices must be kept 7 years (tax law) while payment cards are deleted and the
/// account's contact details masked. Both hold the same 300 fake people (<see cref="DemoCrmConnector.Person"/>).
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
                new() { Key = "contact.name", Strategy = "delete" },
                new() { Key = "contact.email", Strategy = "delete" },
                new() { Key = "contact.phone", Strategy = "delete" },
                new() { Key = "crm.note", Strategy = "delete" },
            ],
        },
        new()
        {
            Key = "billing", DisplayName = "Billing", ConnectorType = "sqlite", Access = "read-write", Region = "eu-west",
            Connection = new Dictionary<string, string> { ["path"] = "demo/billing.db" },
            IdentityFields = ["email"],
            Categories =
            [
                new()
                {
                    Key = "billing.invoice", Strategy = "retain", RetentionPeriod = "P7Y",
                    LegalBasis = "UK tax law requires invoices to be kept (we keep them 7 years); UK GDPR Art. 17(3)(b)",
                    Queries = new Dictionary<string, string> { ["discover"] = "SELECT id AS record_key, issued_on AS record_date FROM invoices WHERE customer_email = $email" },
                },
                new()
                {
                    Key = "billing.payment_card", Strategy = "delete",
                    Queries = new Dictionary<string, string>
                    {
                        ["discover"] = "SELECT id AS record_key FROM payment_cards WHERE customer_email = $email",
                        ["delete"] = "DELETE FROM payment_cards WHERE id = $record_key",
                    },
                },
                new()
                {
                    Key = "contact.email", Strategy = "mask", Mask = "keyed_hash",
                    Queries = new Dictionary<string, string>
                    {
                        ["discover"] = "SELECT id AS record_key FROM accounts WHERE email = $email",
                        ["mask"] = "UPDATE accounts SET email = $mask, full_name = '[erased]' WHERE id = $record_key",
                    },
                },
            ],
        },
    ];

    /// <summary>True for the demo billing registration (also after a round trip through the store).</summary>
    public static bool IsDemoBilling(SourceRegistration r) =>
        r.Key == "billing" && r.ConnectorType == "sqlite" && r.Connection.GetValueOrDefault("path") == "demo/billing.db";

    /// <summary>Creates and seeds the demo billing database once (deterministic).</summary>
    public static void EnsureBilling(string path)
    {
        if (File.Exists(path))
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".seeding";
        File.Delete(temporary);
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temporary, Pooling = false }.ToString()))
        {
            connection.Open();
            using var transaction = connection.BeginTransaction();
            using (var schema = connection.CreateCommand())
            {
                schema.Transaction = transaction;
                schema.CommandText = """
                    CREATE TABLE accounts (id INTEGER PRIMARY KEY, account_id TEXT NOT NULL, email TEXT NOT NULL, full_name TEXT NOT NULL);
                    CREATE INDEX ix_accounts_email ON accounts (email);
                    CREATE TABLE invoices (id INTEGER PRIMARY KEY, customer_email TEXT NOT NULL, issued_on TEXT NOT NULL, amount_pence INTEGER NOT NULL);
                    CREATE INDEX ix_invoices_email ON invoices (customer_email);
                    CREATE TABLE payment_cards (id INTEGER PRIMARY KEY, customer_email TEXT NOT NULL, last4 TEXT NOT NULL, expires TEXT NOT NULL);
                    CREATE INDEX ix_cards_email ON payment_cards (customer_email);
                    """;
                schema.ExecuteNonQuery();
            }

            for (var n = 1; n <= DemoCrmConnector.SeededPeople; n++)
            {
                var (name, email, account) = DemoCrmConnector.Person(n);
                using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText =
                    "INSERT INTO accounts (account_id, email, full_name) VALUES ($account, $email, $name);" +
                    "INSERT INTO invoices (customer_email, issued_on, amount_pence) VALUES ($email, $d1, 3499), ($email, $d2, 3499), ($email, $d3, 4199);" +
                    "INSERT INTO payment_cards (customer_email, last4, expires) VALUES ($email, $last4, '2028-09');";
                insert.Parameters.AddWithValue("$account", account);
                insert.Parameters.AddWithValue("$email", email);
                insert.Parameters.AddWithValue("$name", name);
                insert.Parameters.AddWithValue("$d1", Month(n, 1));
                insert.Parameters.AddWithValue("$d2", Month(n, 2));
                insert.Parameters.AddWithValue("$d3", Month(n, 3));
                insert.Parameters.AddWithValue("$last4", (1000 + (n * 37 % 9000)).ToString(CultureInfo.InvariantCulture));
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        File.Move(temporary, path);
    }

    // Invoices on the 1st of three consecutive months in 2025-2026, spread by person.
    private static string Month(int n, int i) => new DateOnly(2025, 1, 1).AddMonths((n % 12) + i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
