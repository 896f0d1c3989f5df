using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using DataRights.Bench.Hosting;
using DataRights.Bench.Reporting;
using DataRights.Bench.Storage;
using DataRights.Core.Audit;
using DataRights.Core.Deadlines;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using DataRights.Storage.AzureTables;
using DataRights.Storage.Sqlite;
using DataRights.Testing.Azurite;

namespace DataRights.Bench.Stores;

/// <summary>
/// One workload, two stores: SQLite (WAL, synchronous=FULL, group commit) and Azure Table storage over
/// HTTP to Azurite on loopback (in memory, on the same machine). Phases in order, each timed alone with
/// the same workers: submit new requests (first decision: two work items), read them back, commit a state
/// change per request (two audit entries, two work items), then lease and complete work items one by one.
/// </summary>
internal static class StoresBenchmark
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(TimeSpan duration, int concurrency, TextWriter output, CancellationToken cancellationToken)
    {
        var machine = MachineFacts.Collect(await RawSqliteCommits.SqliteVersionAsync(cancellationToken));
        output.WriteLine("DataRights bench: stores (IRequestStore + IWorkQueue on SQLite and on Azure Table storage via Azurite)");
        output.WriteLine($"Machine   : {machine.Summary}, load average {MachineFacts.LoadAverage()}");
        output.WriteLine(Invariant($"Workload  : {concurrency} workers, {duration.TotalSeconds:0} s per operation and store; Azurite {await AzuriteVersionAsync()} (in memory, loopback, same machine)"));

        using var scratch = new ScratchDirectory("datarights-bench-stores-");
        var database = new SqliteDatabase(scratch.File("datarights.db"));
        await SqliteMigrator.MigrateAsync(database, RequestStoreSchema.Migrations, cancellationToken);
        var sqlite = await MeasureAsync("SQLite", new SqliteRequestStore(database), new SqliteWorkQueue(database), () => 0, duration, concurrency, output, cancellationToken);
        database.Dispose();

        await using var azurite = await AzuriteServer.StartAsync(cancellationToken);
        var tables = new AzureTableStore(AzureTableConnection.ForAzurite(azurite.TablePort, "Bench"));
        await tables.InitializeAsync(cancellationToken);
        var azure = await MeasureAsync("Azure Tables", new AzureTableRequestStore(tables), new AzureTableWorkQueue(tables), () => tables.RoundTrips, duration, concurrency, output, cancellationToken);

        var table = new TextTable("operation", "SQLite ops/s", "p50 ms", "Azure Tables ops/s", "p50 ms", "Azure / SQLite", "HTTP calls/op");
        for (var i = 0; i < sqlite.Count; i++)
        {
            var (s, a) = (sqlite[i], azure[i]);
            table.Add(s.Name, Invariant($"{s.PerSecond:0}"), Invariant($"{s.P50Ms:0.00}"), Invariant($"{a.PerSecond:0}"), Invariant($"{a.P50Ms:0.00}"), Invariant($"{a.PerSecond / s.PerSecond:0.00}"), Invariant($"{a.CallsPerOperation:0.0}"));
        }

        output.WriteLine();
        output.Write(table);
        output.WriteLine();
        output.WriteLine("README rows:");
        output.WriteLine("| date | operation | SQLite ops/s | Azure Tables (Azurite) ops/s | Azure / SQLite | HTTP calls per op |");
        output.WriteLine("|---|---|---:|---:|---:|---:|");
        for (var i = 0; i < sqlite.Count; i++)
        {
            output.WriteLine(Invariant(
                $"| {TimeProvider.System.GetUtcNow():yyyy-MM-dd} | {sqlite[i].Name} | {sqlite[i].PerSecond:0} | {azure[i].PerSecond:0} | {azure[i].PerSecond / sqlite[i].PerSecond:0.00} | {azure[i].CallsPerOperation:0.0} |"));
        }

        return sqlite.Concat(azure).Any(p => p.Errors > 0) ? 1 : 0;
    }

    private static async Task<List<PhaseResult>> MeasureAsync(
        string store, IRequestStore requests, IWorkQueue queue, Func<long> calls, TimeSpan duration, int concurrency, TextWriter output, CancellationToken cancellationToken)
    {
        var submitted = Enumerable.Range(0, concurrency).Select(_ => new List<DataSubjectRequest>()).ToArray();
        var everyone = new ConcurrentBag<string>();
        var serial = 0;

        // Warm-up: connections, JIT, tables.
        for (var i = 0; i < 20; i++)
        {
            everyone.Add((await requests.SubmitAsync(NewRequest(Interlocked.Increment(ref serial)), T0.AddMinutes(-10), Start, cancellationToken)).Request.Id);
        }

        var results = new List<PhaseResult>
        {
            await PhaseAsync("submit", concurrency, duration, calls, async (worker, token) =>
            {
                var stored = (await requests.SubmitAsync(NewRequest(Interlocked.Increment(ref serial)), T0.AddMinutes(-10), Start, token)).Request;
                submitted[worker].Add(stored);
                everyone.Add(stored.Id);
                return true;
            }, cancellationToken),
        };

        var ids = everyone.ToArray();
        results.Add(await PhaseAsync("get", concurrency, duration, calls, async (worker, token) =>
            await requests.GetAsync(ids[Random.Shared.Next(ids.Length)], token) is not null, cancellationToken));

        var next = new int[concurrency];
        results.Add(await PhaseAsync("commit (state + 2 audit + 2 work items)", concurrency, duration, calls, async (worker, token) =>
        {
            var mine = submitted[worker];
            var index = next[worker]++ % mine.Count;
            var current = mine[index];
            var (updated, audit, items) = Advance(current);
            if (!await requests.CommitAsync(updated, current.Version, audit, items, token))
            {
                throw new InvalidOperationException("version conflict");
            }

            mine[index] = updated;
            return true;
        }, cancellationToken));

        var later = T0.AddDays(30);
        results.Add(await PhaseAsync("lease + complete (1 item)", concurrency, duration, calls, async (worker, token) =>
        {
            var leased = await queue.LeaseAsync(1, later, TimeSpan.FromMinutes(5), token);
            while (leased.Count == 0)
            {
                // Another worker took the item this one read first (Table storage: ETag race); empty only when nothing is due.
                if (await queue.NextDueAsync(token) is not { } due || due > later)
                {
                    return false;
                }

                leased = await queue.LeaseAsync(1, later, TimeSpan.FromMinutes(5), token);
            }

            return await queue.CompleteAsync(leased[0], later, token) ? true : throw new InvalidOperationException("lease lost");
        }, cancellationToken));

        foreach (var r in results)
        {
            output.WriteLine(Invariant($"{store,-12} {r.Name,-42} {r.PerSecond,8:0} ops/s  p50 {r.P50Ms,7:0.00} ms  p99 {r.P99Ms,7:0.00} ms  {r.Operations,7} ops  {r.Errors} errors{(r.RanDry ? "  (queue emptied before the time was up)" : string.Empty)}"));
        }

        return results;
    }

    /// <summary>Workers loop <paramref name="operation"/> until the time is up (or it returns false: nothing left to do).</summary>
    private static async Task<PhaseResult> PhaseAsync(
        string name, int concurrency, TimeSpan duration, Func<long> calls, Func<int, CancellationToken, Task<bool>> operation, CancellationToken cancellationToken)
    {
        var latencies = new ConcurrentBag<double>();
        var errors = 0;
        var dry = false;
        var callsBefore = calls();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            while (clock.Elapsed < duration && !Volatile.Read(ref dry))
            {
                var started = clock.Elapsed;
                try
                {
                    if (!await operation(worker, cancellationToken))
                    {
                        Volatile.Write(ref dry, true);
                        return;
                    }

                    latencies.Add((clock.Elapsed - started).TotalMilliseconds);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }, cancellationToken)));
        clock.Stop();
        var sorted = latencies.Order().ToArray();
        var operations = sorted.Length;
        return new PhaseResult(
            name,
            operations,
            errors,
            operations / clock.Elapsed.TotalSeconds,
            operations == 0 ? 0 : sorted[operations / 2],
            operations == 0 ? 0 : sorted[Math.Min(operations - 1, (int)(operations * 0.99))],
            operations == 0 ? 0 : (calls() - callsBefore) / (double)operations,
            dry);
    }

    private static NewRequest NewRequest(int n)
    {
        var intake = new ValidatedIntake(RequestType.Erasure, Invariant($"bench.{n}@example.net"), Invariant($"Bench Person {n}"), Jurisdiction.UK, null, null);
        var on = DateOnly.FromDateTime(T0.UtcDateTime);
        return new NewRequest(
            "dr_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)),
            intake,
            IntakeChannel.Api,
            T0,
            new Deadline("uk-gdpr", on, on.AddMonths(1), null),
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            RequestFingerprint.Compute(intake),
            "requester");
    }

    private static Decision Start(DataSubjectRequest received) => new(
        received with { Status = RequestStatus.AwaitingVerification },
        [new AuditDraft(received.ReceivedAt, "system", "verification.requested", "received", "awaiting_verification")],
        [
            new SendMessage($"{received.Id}:verification:1", received.ReceivedAt, MessageKind.Verification),
            new FireTimer($"{received.Id}:verification-reminder:1", received.ReceivedAt.AddDays(3), TimerKind.VerificationReminder, "1"),
        ]);

    private static (DataSubjectRequest Updated, IReadOnlyList<AuditEntry> Audit, IReadOnlyList<WorkItem> Items) Advance(DataSubjectRequest current)
    {
        var at = current.UpdatedAt.AddSeconds(1);
        var step = current.Version.ToString(CultureInfo.InvariantCulture);
        var (entries, head) = AuditChain.Extend(current.AuditHead, current.Id,
        [
            new AuditDraft(at, "system", "bench.step", current.Status.Name(), current.Status.Name(), new Dictionary<string, string?> { ["step"] = step }),
            new AuditDraft(at, "system", "bench.note", null, null, new Dictionary<string, string?> { ["sources"] = "2" }),
        ]);
        var updated = current with { Version = current.Version + 1, AuditHead = head!, UpdatedAt = at };
        IReadOnlyList<WorkItem> items =
        [
            WorkItem.From(current.Id, new DiscoverSource($"{current.Id}:discover:crm:{step}", at, "crm", (int)current.Version)),
            WorkItem.From(current.Id, new DiscoverSource($"{current.Id}:discover:billing:{step}", at, "billing", (int)current.Version)),
        ];
        return (updated, entries, items);
    }

    private static async Task<string> AzuriteVersionAsync()
    {
        var script = AzuriteServer.FindScript();
        if (script is null)
        {
            return "(not installed: run ./test.sh or npm ci in tools/azurite)";
        }

        using var process = Process.Start(new ProcessStartInfo("node") { ArgumentList = { script, "--version" }, RedirectStandardOutput = true, UseShellExecute = false })!;
        var version = (await process.StandardOutput.ReadToEndAsync()).Trim();
        await process.WaitForExitAsync();
        return version;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record PhaseResult(string Name, int Operations, int Errors, double PerSecond, double P50Ms, double P99Ms, double CallsPerOperation, bool RanDry);
}
