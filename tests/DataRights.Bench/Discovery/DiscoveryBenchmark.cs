using System.Diagnostics;
using System.Globalization;
using DataRights.Bench.Hosting;
using DataRights.Bench.Reporting;
using DataRights.Bench.Storage;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Host.Sources;
using DataRights.Host.Sources.Sqlite;
using Microsoft.Data.Sqlite;

namespace DataRights.Bench.Discovery;

/// <summary>
/// SQL discovery for one person through the real SQLite connector, in a table of 10k rows and of 1M
/// rows (email indexed, as a registration should require), side by side; then discovery of one seeded
/// person across all demo sources at once, as the workflow fans out.
/// </summary>
internal static class DiscoveryBenchmark
{
    public static async Task<int> RunAsync(int lookups, bool quick, TextWriter output, CancellationToken cancellationToken)
    {
        using var scratch = new ScratchDirectory("datarights-bench-discovery-");
        var machine = MachineFacts.Collect(await SqliteVersion.ReadAsync(cancellationToken));
        output.WriteLine("DataRights bench: discovery (SqliteSourceConnector.DiscoverAsync for one person)");
        output.WriteLine($"Machine   : {machine.Summary}");
        var sizes = quick ? new[] { 10_000, 100_000 } : [10_000, 1_000_000];
        var results = new List<(int Rows, double P50, double P99, double BuildSeconds)>();
        foreach (var rows in sizes)
        {
            var path = scratch.File($"cdr-{rows}.db");
            var build = Stopwatch.StartNew();
            Seed(path, rows);
            build.Stop();
            using var database = new SqliteDatabase(path);
            var connector = new SqliteSourceConnector(database, Registration, new byte[32], TimeProvider.System);
            var latencies = new List<double>(lookups);
            var random = new Random(42);
            for (var i = 0; i < lookups + 50; i++)
            {
                var person = random.Next(rows / 20);
                var subject = new SubjectIdentity(Email(person), "x", null);
                var clock = Stopwatch.StartNew();
                var found = await connector.DiscoverAsync(SourceCall.For(subject), cancellationToken);
                clock.Stop();
                if (found.RecordCount == 0)
                {
                    throw new InvalidOperationException($"Person {person} should have records.");
                }

                if (i >= 50)
                {
                    latencies.Add(clock.Elapsed.TotalMilliseconds);
                }
            }

            latencies.Sort();
            results.Add((rows, latencies[latencies.Count / 2], latencies[(int)(latencies.Count * 0.99)], build.Elapsed.TotalSeconds));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows,9:N0} rows: p50 {latencies[latencies.Count / 2]:0.000} ms, p99 {latencies[(int)(latencies.Count * 0.99)]:0.000} ms over {lookups} lookups (table built in {build.Elapsed.TotalSeconds:0.0} s)"));
        }

        var ratio = results[^1].P50 / results[0].P50;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Ratio     : {results[^1].Rows:N0} rows / {results[0].Rows:N0} rows p50 = {ratio:0.00} x (indexed lookups: a small factor, not {results[^1].Rows / results[0].Rows} x)"));

        var demo = await DemoAcrossSourcesAsync(scratch.File("demo"), lookups, cancellationToken);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Demo      : one seeded person across all {demo.Sources} demo sources in parallel: p50 {demo.P50:0.000} ms, p99 {demo.P99:0.000} ms"));
        output.WriteLine();
        output.WriteLine("README row:");
        output.WriteLine("| date | rows | p50 ms | p99 ms | 1M / 10k p50 | all demo sources p50 ms |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {TimeProvider.System.GetUtcNow():yyyy-MM-dd} | {r.Rows:N0} | {r.P50:0.000} | {r.P99:0.000} | {(r.Rows == results[^1].Rows ? ratio.ToString("0.00", CultureInfo.InvariantCulture) : "1.00")} | {demo.P50:0.000} |"));
        }

        return 0;
    }

    private static readonly SourceRegistration Registration = new()
    {
        Key = "cdr", DisplayName = "Call detail records", ConnectorType = "sqlite", Access = "read-write", Region = "eu-west",
        IdentityFields = ["email"],
        Categories =
        [
            new CategoryPolicy
            {
                Key = "telephony.cdr", DisplayName = "Telephony cdr", Strategy = "delete",
                Queries = new Dictionary<string, string>
                {
                    ["discover"] = "SELECT id AS record_key, started_at AS record_date FROM cdrs WHERE caller_email = $email",
                    ["delete"] = "DELETE FROM cdrs WHERE id = $record_key",
                },
            },
        ],
    };

    private static string Email(int person) => string.Create(CultureInfo.InvariantCulture, $"caller.{person}@example.net");

    // 20 calls per person, so a lookup returns 20 rows at every size.
    private static void Seed(string path, int rows)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using (var schema = connection.CreateCommand())
        {
            schema.CommandText = "PRAGMA journal_mode = WAL; CREATE TABLE cdrs (id INTEGER PRIMARY KEY, caller_email TEXT NOT NULL, callee TEXT NOT NULL, started_at TEXT NOT NULL, seconds INTEGER NOT NULL);";
            schema.ExecuteNonQuery();
        }

        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO cdrs (caller_email, callee, started_at, seconds) VALUES ($e, '+44 20 7946 0000', '2026-10-01', $s)";
        var email = insert.Parameters.Add("$e", SqliteType.Text);
        var seconds = insert.Parameters.Add("$s", SqliteType.Integer);
        for (var i = 0; i < rows; i++)
        {
            email.Value = Email(i % (rows / 20));
            seconds.Value = i % 600;
            insert.ExecuteNonQuery();
        }

        using (var index = connection.CreateCommand())
        {
            index.Transaction = transaction;
            index.CommandText = "CREATE INDEX ix_cdrs_caller ON cdrs (caller_email)";
            index.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static async Task<(int Sources, double P50, double P99)> DemoAcrossSourcesAsync(string folder, int lookups, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        using var crm = new SqliteDatabase(Path.Combine(folder, "crm.db"));
        var billingPath = Path.Combine(folder, "billing.db");
        DemoSources.EnsureBilling(billingPath, new DateOnly(2026, 11, 2));
        using var billing = new SqliteDatabase(billingPath);
        IDataSourceConnector[] connectors = [new DemoCrmConnector(crm), new SqliteSourceConnector(billing, DemoSources.Registrations[1], new byte[32], TimeProvider.System)];
        var latencies = new List<double>();
        for (var i = 0; i < lookups + 20; i++)
        {
            var (name, email, account) = DemoCrmConnector.Person(1 + (i % DemoCrmConnector.SeededPeople));
            var subject = new SubjectIdentity(email, name, account);
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(connectors.Select(c => c.DiscoverAsync(SourceCall.For(subject), cancellationToken)));
            clock.Stop();
            if (i >= 20)
            {
                latencies.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        latencies.Sort();
        return (connectors.Length, latencies[latencies.Count / 2], latencies[(int)(latencies.Count * 0.99)]);
    }
}
