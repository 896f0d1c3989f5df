using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using DataRights.Bench.Reporting;
using DataRights.Bench.Storage;
using DataRights.Core.Audit;
using DataRights.Core.Deadlines;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Retention;
using DataRights.Core.Workflow;
using DataRights.Storage.AzureTables;
using DataRights.Bench.Measurement;
using DataRights.Testing.Azurite;

namespace DataRights.Bench.Stores;

/// <summary>
/// The store ports on Azure Table storage over HTTP to Azurite on loopback (in memory, on the same machine), against
/// the raw limit on the same Azurite: one <c>TableClient.AddEntityAsync</c> of one entity. Phases in order, each timed
/// alone with the same workers, taking turns round by round with the raw insert: submit new requests (first decision:
/// two work items), read them back, commit a state change per request (two audit entries, two work items), then save
/// purge report rows, each with its entry in the one retention audit chain
/// (all writers on one chain), then take and finish a step's note (what the Function App's guard adds to each activity).
/// The SQLite store is retired, so there is no SQLite lane.
/// </summary>
internal static class StoresBenchmark
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(TimeSpan duration, int concurrency, int rounds, TextWriter output, CancellationToken cancellationToken)
    {
        var machine = MachineFacts.Collect(await SqliteVersion.ReadAsync(cancellationToken));
        output.WriteLine("DataRights bench: stores (IRequestStore + IPurgeStore on Azure Table storage via Azurite, against a raw one-entity insert)");
        output.WriteLine($"Machine   : {machine.Summary}, load average {MachineFacts.LoadAverage()}");
        output.WriteLine(Invariant(
            $"Workload  : {concurrency} workers, {duration.TotalSeconds:0} s per operation, in {rounds} rounds taken in turn with the raw insert; Azurite {await AzuriteVersionAsync()} (in memory, loopback, same machine)"));

        await using var azurite = await AzuriteServer.StartAsync(cancellationToken);
        var tables = new AzureTableStore(AzureTableConnection.ForAzurite(azurite.TablePort, "Bench"));
        await tables.InitializeAsync(cancellationToken);
        var raw = await RawTableInserts.CreateAsync(azurite.ConnectionString, "BenchRawInserts", cancellationToken);
        var store = new Workload(
            "Azure Tables", new AzureTableRequestStore(tables), new AzureTablePurgeStore(tables), new AzureTableStepNotes(tables, "Bench", stopsAllowed: 3), () => tables.RoundTrips, concurrency);
        await store.WarmUpAsync(cancellationToken);
        await raw.RunAsync(concurrency, TimeSpan.FromSeconds(1), cancellationToken);

        // Each phase takes turns with the raw insert, round by round, so a busy moment on the machine hits both alike.
        var slice = duration / rounds;
        var results = new List<(PhaseResult Store, LoadResult Raw)>();
        foreach (var phase in Workload.Phases)
        {
            var slices = new List<PhaseResult>();
            var rawSlices = new List<LoadResult>();
            for (var round = 0; round < rounds; round++)
            {
                slices.Add(await store.RunAsync(phase, slice, cancellationToken));
                rawSlices.Add(await raw.RunAsync(concurrency, slice, cancellationToken));
            }

            var total = PhaseResult.Combine(slices);
            var rawTotal = LoadResult.Combine(rawSlices);
            results.Add((total, rawTotal));
            output.WriteLine(Invariant(
                $"{total.Name,-42} {total.PerSecond,8:0} ops/s  p50 {total.P50Ms,7:0.00} ms  p99 {total.P99Ms,7:0.00} ms  {total.Operations,7} ops  {total.Errors} errors{(total.RanDry ? "  (nothing left to do before the time was up)" : string.Empty)}; raw insert {rawTotal.PerSecond:0} ops/s"));
        }

        var table = new TextTable("operation", "ops/s", "p50 ms", "p99 ms", "raw insert ops/s", "raw p50 ms", "store / raw", "HTTP calls/op");
        foreach (var (s, r) in results)
        {
            table.Add(s.Name, Invariant($"{s.PerSecond:0}"), Invariant($"{s.P50Ms:0.00}"), Invariant($"{s.P99Ms:0.00}"), Invariant($"{r.PerSecond:0}"), Invariant($"{r.Latency.P50Ms:0.00}"), Invariant($"{Ratio(s, r):0.00}"), Invariant($"{s.CallsPerOperation:0.0}"));
        }

        output.WriteLine();
        output.Write(table);
        output.WriteLine();
        output.WriteLine($"Load average after the run: {MachineFacts.LoadAverage()}");
        output.WriteLine("README rows:");
        output.WriteLine("| date | operation | Azure Tables (Azurite) ops/s | p50 ms | raw insert ops/s | store / raw | HTTP calls per op |");
        output.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var (s, r) in results)
        {
            output.WriteLine(Invariant(
                $"| {TimeProvider.System.GetUtcNow():yyyy-MM-dd} | {s.Name} | {s.PerSecond:0} | {s.P50Ms:0.00} | {r.PerSecond:0} | {Ratio(s, r):0.00} | {s.CallsPerOperation:0.0} |"));
        }

        return results.Any(p => p.Store.Errors > 0 || p.Raw.Failed > 0) ? 1 : 0;
    }

    private static double Ratio(PhaseResult store, LoadResult raw) => raw.PerSecond > 0 ? store.PerSecond / raw.PerSecond : 0;

    /// <summary>One store under the workload, keeping what each phase leaves for the next (requests per worker).</summary>
    private sealed class Workload(string name, IRequestStore requests, IPurgeStore purges, IStepNotes notes, Func<long> calls, int concurrency)
    {
        public const string Submit = "submit";
        public const string Get = "get";
        public const string Commit = "commit (state + 2 audit + 2 work items)";
        public const string PurgeReport = "purge report row + retention chain entry";
        public const string StepNote = "step note (take + finish, per activity)";
        private const string RunId = "uk-bench";

        private readonly List<DataSubjectRequest>[] _submitted = [.. Enumerable.Range(0, concurrency).Select(_ => new List<DataSubjectRequest>())];
        private readonly ConcurrentBag<string> _everyone = [];
        private readonly int[] _next = new int[concurrency];
        private int _serial;
        private string[] _ids = [];

        public static IReadOnlyList<string> Phases { get; } = [Submit, Get, Commit, PurgeReport, StepNote];

        public string Name => name;

        /// <summary>Connections, JIT, tables; and every worker gets a request of its own to commit to.</summary>
        public async Task WarmUpAsync(CancellationToken cancellationToken)
        {
            for (var worker = 0; worker < concurrency; worker++)
            {
                await SubmitAsync(worker, cancellationToken);
            }

            await purges.StartAsync(new PurgeRun(RunId, "uk", "bench", false, T0, T0, PurgeRun.Running), Draft("purge.started"), cancellationToken);
        }

        public Task<PhaseResult> RunAsync(string phase, TimeSpan duration, CancellationToken cancellationToken)
        {
            _ids = [.. _everyone];
            return PhaseAsync(phase, concurrency, duration, calls, phase switch
            {
                Submit => SubmitAsync,
                Get => async (_, token) => await requests.GetAsync(_ids[Random.Shared.Next(_ids.Length)], token) is not null,
                Commit => CommitAsync,
                StepNote => NoteStepAsync,
                _ => SaveReportRowAsync,
            }, cancellationToken);
        }

        private async Task<bool> SubmitAsync(int worker, CancellationToken token)
        {
            var stored = (await requests.SubmitAsync(NewRequest(Interlocked.Increment(ref _serial)), T0.AddMinutes(-10), Start, token)).Request;
            _submitted[worker].Add(stored);
            _everyone.Add(stored.Id);
            return true;
        }

        private async Task<bool> CommitAsync(int worker, CancellationToken token)
        {
            var mine = _submitted[worker];
            var index = _next[worker]++ % mine.Count;
            var current = mine[index];
            var (updated, audit) = Advance(current);
            if (!await requests.CommitAsync(updated, current.Version, audit, token))
            {
                throw new InvalidOperationException("version conflict");
            }

            mine[index] = updated;
            return true;
        }

        /// <summary>A step no other worker noted, as the Function App's activities note each of theirs: its note taken, then let go.</summary>
        private async Task<bool> NoteStepAsync(int worker, CancellationToken token)
        {
            var step = Invariant($"SearchSource\n{worker}:{Interlocked.Increment(ref _serial)}");
            await notes.TakeAsync(step, token);
            await notes.FinishedAsync(step, token);
            return true;
        }

        /// <summary>Every writer appends to the one retention chain: a report row in its final state and its entry, in one transaction.</summary>
        private async Task<bool> SaveReportRowAsync(int worker, CancellationToken token)
        {
            var n = Interlocked.Increment(ref _serial);
            var row = new PurgeRow
            {
                RunId = RunId,
                SourceKey = Invariant($"source-{worker}"),
                Item = Invariant($"category-{n}"),
                Kind = PurgeRow.AgeKind,
                Category = Invariant($"category-{n}"),
                State = PurgeRow.Done,
                Scanned = 1000,
                Purged = 990,
                Held = 10,
            };
            await purges.SaveRowAsync(row, Draft("purge.row_finished"), token);
            return true;
        }

        private static AuditDraft Draft(string action) =>
            new(T0, "system:retention", action, null, null, new Dictionary<string, string?> { ["run"] = RunId, ["purged"] = "990" });
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
        return new PhaseResult(name, [.. latencies], errors, clock.Elapsed, calls() - callsBefore, dry);
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
            new SendMessage($"{received.Id}:verification-reminder:1", received.ReceivedAt.AddDays(3), MessageKind.VerificationReminder),
        ]);

    private static (DataSubjectRequest Updated, IReadOnlyList<AuditEntry> Audit) Advance(DataSubjectRequest current)
    {
        var at = current.UpdatedAt.AddSeconds(1);
        var step = current.Version.ToString(CultureInfo.InvariantCulture);
        var (entries, head) = AuditChain.Extend(current.AuditHead, current.Id,
        [
            new AuditDraft(at, "system", "bench.step", current.Status.Name(), current.Status.Name(), new Dictionary<string, string?> { ["step"] = step }),
            new AuditDraft(at, "system", "bench.note", null, null, new Dictionary<string, string?> { ["sources"] = "2" }),
        ]);
        // Two emails owed, as a step's decision owes them (kept in the request, in place of the last step's).
        OwedWork[] owed =
        [
            OwedWork.Of(new SendMessage($"{current.Id}:message:crm:{step}", at, MessageKind.ManualTask)),
            OwedWork.Of(new SendMessage($"{current.Id}:message:billing:{step}", at, MessageKind.ManualTask)),
        ];
        var updated = current with { Version = current.Version + 1, AuditHead = head!, UpdatedAt = at, Progress = current.Progress with { Owed = owed } };
        return (updated, entries);
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

    /// <summary>One phase on one store: every latency, the errors, the time taken, the HTTP calls made.</summary>
    private sealed record PhaseResult(string Name, double[] LatenciesMs, int Errors, TimeSpan Elapsed, long Calls, bool RanDry)
    {
        public int Operations => LatenciesMs.Length;

        public double PerSecond => Operations / Elapsed.TotalSeconds;

        public double P50Ms => Percentile(0.50);

        public double P99Ms => Percentile(0.99);

        public double CallsPerOperation => Operations == 0 ? 0 : Calls / (double)Operations;

        public static PhaseResult Combine(IReadOnlyList<PhaseResult> slices) => new(
            slices[0].Name,
            [.. slices.SelectMany(s => s.LatenciesMs)],
            slices.Sum(s => s.Errors),
            slices.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Elapsed),
            slices.Sum(s => s.Calls),
            slices.Any(s => s.RanDry));

        private double Percentile(double p)
        {
            if (Operations == 0)
            {
                return 0;
            }

            var sorted = LatenciesMs.Order().ToArray();
            return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        }
    }
}
