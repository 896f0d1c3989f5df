using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Azure.Data.Tables;
using DataRights.Bench.Hosting;
using DataRights.Bench.Reporting;
using DataRights.Bench.Storage;
using DataRights.Testing;
using DataRights.Testing.Azurite;
using DataRights.Testing.Http;

namespace DataRights.Bench.Recovery;

/// <summary>
/// Restart after <c>kill -9</c> with the request orchestrations on the local task hub (Azurite keeps running): the host
/// as a process of its own, a few requests whose discovery against a slow HTTP source is in flight, SIGKILL while those
/// calls are open, the host started again on the same data folder, tables and task hub; then the seconds from that start to
/// /healthz answering, to the first step of any kind completing, and to the steps that were in flight completing
/// (read from the audit trail in the Requests table). Repeated on a fresh data folder, tables and task hub each time.
/// </summary>
internal static class RecoveryBenchmark
{
    private const string SlowSource = "slow";
    private const string SecretVariable = "DATARIGHTS_SOURCE_BENCH_SLOW_SECRET";

    /// <summary>The run; <c>Graceful</c>: SIGTERM instead of SIGKILL (the host drains its task hub and exits).</summary>
    public sealed record Settings(int Repetitions, int Requests, TimeSpan SourceLatency, IReadOnlyDictionary<string, string> Overrides, bool Graceful = false);

    /// <summary>
    /// One kill (or stop) and restart. Killed: the in-flight steps' calls sent again and the steps done, after the restart.
    /// Stopped: <see cref="StopS"/> to exit, <see cref="FinishedBeforeExit"/> of the in-flight steps answered and recorded
    /// by then, and the requests' next steps (their erasure calls) reaching the source after the restart.
    /// </summary>
    private sealed record Repetition(double HealthS, double FirstStepS, string FirstStep, double RedispatchS, double FirstResumedS, double AllResumedS, int InFlight)
    {
        public double StopS { get; init; }

        public int FinishedBeforeExit { get; init; }

        public int SentAgain { get; init; }
    }

    public static async Task<int> RunAsync(Settings s, TextWriter output, CancellationToken cancellationToken)
    {
        var machine = MachineFacts.Collect(await SqliteVersion.ReadAsync(cancellationToken));
        using var scratch = new ScratchDirectory("datarights-bench-recovery-");
        await using var azurite = await AzuriteServer.StartAsync(cancellationToken);
        await using var slow = await SlowSourceSystem.StartAsync(s.SourceLatency);
        output.WriteLine($"DataRights bench: recovery after {(s.Graceful ? "SIGTERM (a graceful stop)" : "kill -9")} (the host as its own process, request orchestrations on the local task hub and the store on Azurite)");
        output.WriteLine($"Machine   : {machine.Summary}");
        output.WriteLine(Invariant($"Run       : {s.Repetitions} repetitions; {s.Requests} requests each, {(s.Graceful ? "stopped" : "killed")} while their discovery calls to a source of {s.SourceLatency.TotalMilliseconds:0} ms are open"));
        output.WriteLine($"Settings  : {(s.Overrides.Count == 0 ? "the product's defaults" : string.Join(", ", s.Overrides.Select(o => $"{o.Key.Replace("__", ":", StringComparison.Ordinal)}={o.Value}")))}");
        output.WriteLine($"Load avg  : {MachineFacts.LoadAverage()} at start");
        output.WriteLine();

        var results = new List<Repetition>();
        for (var r = 1; r <= s.Repetitions; r++)
        {
            var result = await RepeatAsync(r, s, azurite, slow, scratch.File(Invariant($"rep{r}")), cancellationToken);
            results.Add(result);
            output.WriteLine(s.Graceful
                ? Invariant($"Repetition {r}: {result.InFlight} steps in flight at SIGTERM; the host exited after {result.StopS:0.00} s with {result.FinishedBeforeExit} of them answered and recorded; after the restart: /healthz {result.HealthS:0.00} s, first step done {result.FirstStepS:0.00} s ({result.FirstStep}), searches sent again {result.SentAgain}, first next step (an erasure call) {result.FirstResumedS:0.00} s, all {result.AllResumedS:0.00} s (load {MachineFacts.LoadAverage()})")
                : Invariant(
                $"Repetition {r}: {result.InFlight} steps in flight at the kill; after the restart: /healthz {result.HealthS:0.00} s, first step done {result.FirstStepS:0.00} s ({result.FirstStep}), in-flight call sent again {result.RedispatchS:0.00} s, first in-flight step done {result.FirstResumedS:0.00} s, all {result.AllResumedS:0.00} s (load {MachineFacts.LoadAverage()})"));
        }

        output.WriteLine();
        var table = new TextTable("seconds from the restart to", "median", "max");
        void Add(string name, Func<Repetition, double> of) => table.Add(name, Invariant($"{Median(results.Select(of)):0.00}"), Invariant($"{results.Max(of):0.00}"));
        Add("/healthz answers (the host's own start-up)", x => x.HealthS);
        if (!s.Graceful)
        {
            Add("the first step of any kind completes", x => x.FirstStepS);
        }

        if (s.Graceful)
        {
            table.Add("(the stop) SIGTERM to the host's exit", Invariant($"{Median(results.Select(x => x.StopS)):0.00}"), Invariant($"{results.Max(x => x.StopS):0.00}"));
            Add("the first in-flight request's next step reaches the source", x => x.FirstResumedS);
            Add("every in-flight request's next step has reached it", x => x.AllResumedS);
            output.WriteLine(Invariant($"In-flight steps answered and recorded before the exit: {results.Sum(x => x.FinishedBeforeExit)} of {results.Sum(x => x.InFlight)}; searches sent again after the restart: {results.Sum(x => x.SentAgain)}"));
        }
        else
        {
            Add("an in-flight step's source call is sent again", x => x.RedispatchS);
            Add("the first in-flight step completes", x => x.FirstResumedS);
            Add("every in-flight step has completed", x => x.AllResumedS);
        }

        output.Write(table);
        output.WriteLine($"Load avg  : {MachineFacts.LoadAverage()} at end");
        output.WriteLine();
        output.WriteLine("Row for docs/benchmarks.md:");
        if (s.Graceful)
        {
            output.WriteLine("| date | settings | repetitions | SIGTERM to exit s (median, max) | in-flight steps answered and recorded before the exit | /healthz s (median, max) | in-flight requests' next step s (median, max) | searches sent again |");
            output.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
            output.WriteLine(Invariant(
                $"| {TimeProvider.System.GetUtcNow():yyyy-MM-dd} | {Described(s)} | {s.Repetitions} | {Median(results.Select(x => x.StopS)):0.0}, {results.Max(x => x.StopS):0.0} | {results.Sum(x => x.FinishedBeforeExit)} of {results.Sum(x => x.InFlight)} | {Median(results.Select(x => x.HealthS)):0.0}, {results.Max(x => x.HealthS):0.0} | {Median(results.Select(x => x.AllResumedS)):0.0}, {results.Max(x => x.AllResumedS):0.0} | {results.Sum(x => x.SentAgain)} |"));
            return 0;
        }

        output.WriteLine("| date | settings | repetitions | /healthz s (median, max) | first step done s | first in-flight step done s (median, max) | all in-flight steps done s |");
        output.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        output.WriteLine(Invariant(
            $"| {TimeProvider.System.GetUtcNow():yyyy-MM-dd} | {Described(s)} | {s.Repetitions} | {Median(results.Select(x => x.HealthS)):0.0}, {results.Max(x => x.HealthS):0.0} | {Median(results.Select(x => x.FirstStepS)):0.0}, {results.Max(x => x.FirstStepS):0.0} | {Median(results.Select(x => x.FirstResumedS)):0.0}, {results.Max(x => x.FirstResumedS):0.0} | {Median(results.Select(x => x.AllResumedS)):0.0}, {results.Max(x => x.AllResumedS):0.0} |"));
        return 0;
    }

    private static async Task<Repetition> RepeatAsync(int repetition, Settings s, AzuriteServer azurite, SlowSourceSystem slow, string data, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(data);
        var port = HostProcess.FreePort();
        var environment = new Dictionary<string, string>(s.Overrides)
        {
            ["DataRights__Durable__HubName"] = Invariant($"benchrecovery{repetition}"),
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["DataRights__Storage__TablePrefix"] = Invariant($"BenchRecovery{repetition}"),
            ["DataRights__Storage__ExportContainer"] = Invariant($"benchrecovery{repetition}-exports"),
            ["DataRights__Workflow__AutoApprove"] = "true",
            ["DataRights__Intake__PerClientPermitLimit"] = "1000",
            [SecretVariable] = "bench-slow-source-shared-secret-0123456789abcdef",
        };
        using var client = new HttpClient { BaseAddress = new Uri(Invariant($"http://127.0.0.1:{port}")), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-DataRights-Dev-User", "Bench");
        var host = await HostProcess.StartAsync(data, port, environment, cancellationToken);
        try
        {
            await RegisterSlowSourceAsync(client, slow, cancellationToken);
            var ids = new List<string>();
            for (var i = 1; i <= s.Requests; i++)
            {
                var email = Invariant($"recovery-{repetition}-{i}@example.com");
                using var submitted = await client.PostAsJsonAsync("/api/requests", new { type = "erasure", email, fullName = "Recovery Person", jurisdiction = "UK" }, cancellationToken);
                submitted.EnsureSuccessStatusCode();
                ids.Add(await IdFromMailAsync(data, email, cancellationToken));
            }

            foreach (var id in ids)
            {
                using var verified = await client.PostAsJsonAsync($"/api/admin/requests/{id}/verify", new { }, cancellationToken);
                verified.EnsureSuccessStatusCode();
            }

            // Kill while every request's discovery call to the slow source is open.
            await WaitAsync(() => Task.FromResult(ids.All(id => slow.Calls.Any(c => c.RequestId == id && c.Operation == "discover"))), TimeSpan.FromMinutes(2), "the discovery calls to reach the slow source", cancellationToken);
            await Task.Delay(100, cancellationToken);
            var inFlight = ids.Where(id => slow.Calls.Any(c => c.RequestId == id && c.Operation == "discover" && c.AnsweredAt is null)).ToHashSet(StringComparer.Ordinal);
            if (s.Graceful)
            {
                return await StopAndRestartAsync(host, inFlight, repetition, s, azurite, slow, data, port, environment, cancellationToken);
            }

            await host.KillAsync();
            host.Dispose();
            inFlight.IntersectWith(ids.Where(id => slow.Calls.Any(c => c.RequestId == id && c.Operation == "discover" && c.AnsweredAt is null)));
            if (inFlight.Count == 0)
            {
                throw new InvalidOperationException("No discovery call was open at the kill: raise --source-latency.");
            }

            host = await HostProcess.StartAsync(data, port, environment, cancellationToken);
            var restart = host.StartedAt;
            var requests = RequestsTable(azurite, repetition);
            List<AuditRow> after = [];
            await WaitAsync(
                async () =>
                {
                    after = [.. (await ReadAuditAsync(requests, cancellationToken)).Where(a => a.At > restart)];
                    return inFlight.All(id => after.Any(a => a.RequestId == id && a.IsSlowDiscovery));
                },
                TimeSpan.FromMinutes(20),
                "the in-flight steps to complete after the restart",
                cancellationToken);

            double Since(DateTimeOffset at) => (at - restart).TotalSeconds;
            var first = after.MinBy(a => a.At)!;
            var resumed = after.Where(a => a.IsSlowDiscovery && inFlight.Contains(a.RequestId)).Select(a => a.At).ToList();
            var redispatch = slow.Calls.Where(c => c.Operation == "discover" && inFlight.Contains(c.RequestId) && c.ReceivedAt > restart).Min(c => c.ReceivedAt);
            return new Repetition(Since(host.HealthyAt), Since(first.At), $"{first.Action} {first.Details}", Since(redispatch), Since(resumed.Min()), Since(resumed.Max()), inFlight.Count);
        }
        finally
        {
            await host.KillAsync();
            host.Dispose();
        }
    }

    // SIGTERM while the searches are open: the host drains (the steps in hand finish and are recorded) and exits; started
    // again, each request's next step (its erasure at the slow source, approved automatically) is measured from the start.
    private static async Task<Repetition> StopAndRestartAsync(
        HostProcess host, HashSet<string> inFlight, int repetition, Settings s, AzuriteServer azurite, SlowSourceSystem slow, string data, int port, Dictionary<string, string> environment, CancellationToken cancellationToken)
    {
        if (inFlight.Count == 0)
        {
            throw new InvalidOperationException("No discovery call was open at the stop: raise --source-latency.");
        }

        var stopS = await host.TerminateAsync();
        host.Dispose();
        var requests = RequestsTable(azurite, repetition);
        var recorded = (await ReadAuditAsync(requests, cancellationToken)).Where(a => a.IsSlowDiscovery).Select(a => a.RequestId).ToHashSet(StringComparer.Ordinal);
        var finished = inFlight.Count(id => recorded.Contains(id) && slow.Calls.Any(c => c.RequestId == id && c.Operation == "discover" && c.AnsweredAt is not null));

        using var restarted = await HostProcess.StartAsync(data, port, environment, cancellationToken);
        var restart = restarted.StartedAt;
        try
        {
            await WaitAsync(
                () => Task.FromResult(inFlight.All(id => slow.Calls.Any(c => c.RequestId == id && c.Operation == "erase"))),
                TimeSpan.FromMinutes(20),
                "the in-flight requests' erasures to reach the source after the restart",
                cancellationToken);
            var after = (await ReadAuditAsync(requests, cancellationToken)).Where(a => a.At > restart).ToList();
            var first = after.MinBy(a => a.At);
            var erasures = slow.Calls.Where(c => c.Operation == "erase" && inFlight.Contains(c.RequestId)).Select(c => (c.ReceivedAt - restart).TotalSeconds).ToList();
            // A search before the request's erasure is one sent again (the connector's check after an erasure searches too).
            var sentAgain = inFlight.Sum(id => slow.Calls.Count(c => c.RequestId == id && c.Operation == "discover" && c.ReceivedAt > restart
                && c.ReceivedAt < slow.Calls.Where(e => e.RequestId == id && e.Operation == "erase").Min(e => e.ReceivedAt)));
            return new Repetition(
                (restarted.HealthyAt - restart).TotalSeconds,
                first is null ? double.NaN : (first.At - restart).TotalSeconds,
                first is null ? "none" : $"{first.Action} {first.Details}",
                double.NaN,
                erasures.Min(),
                erasures.Max(),
                inFlight.Count)
            { StopS = stopS, FinishedBeforeExit = finished, SentAgain = sentAgain };
        }
        finally
        {
            await restarted.KillAsync();
        }
    }

    private static string Described(Settings s) =>
        s.Overrides.Count == 0 ? "defaults" : string.Join(", ", s.Overrides.Select(o => $"{o.Key[(o.Key.LastIndexOf("__", StringComparison.Ordinal) + 2)..]} {o.Value}"));

    private static TableClient RequestsTable(AzuriteServer azurite, int repetition) =>
        new TableServiceClient(azurite.ConnectionString).GetTableClient(Invariant($"BenchRecovery{repetition}Requests"));

    private static async Task RegisterSlowSourceAsync(HttpClient client, SlowSourceSystem slow, CancellationToken cancellationToken)
    {
        using var response = await client.PutAsJsonAsync($"/api/admin/sources/{SlowSource}", slow.Registration(SecretVariable), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Registering the slow source answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    private sealed record AuditRow(string RequestId, DateTimeOffset At, string Action, string Details)
    {
        public bool IsSlowDiscovery => Action == "source.discovered" && Details.Contains($"\"{SlowSource}\"", StringComparison.Ordinal);
    }

    /// <summary>Every audit entry of every request (partition = request id, row keys audit_...).</summary>
    private static async Task<List<AuditRow>> ReadAuditAsync(TableClient requests, CancellationToken cancellationToken)
    {
        var rows = new List<AuditRow>();
        await foreach (var row in requests.QueryAsync<TableEntity>("RowKey ge 'audit_' and RowKey lt 'audit`'", select: ["PartitionKey", "At", "Action", "Details"], cancellationToken: cancellationToken))
        {
            rows.Add(new AuditRow(row.PartitionKey, DataRights.Core.Audit.AuditChain.ParseInstant(row.GetString("At")), row.GetString("Action"), row.GetString("Details") ?? string.Empty));
        }

        return rows;
    }

    private static async Task WaitAsync(Func<Task<bool>> done, TimeSpan limit, string what, CancellationToken cancellationToken)
    {
        var deadline = TimeProvider.System.GetUtcNow() + limit;
        while (!await done())
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"Waited {limit.TotalMinutes:0} minutes for {what}.");
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The id of the request stored for <paramref name="email"/>, from its verification email in the data folder's outbox
    /// (the public answer is the same for every submission and names no request).
    /// </summary>
    private static async Task<string> IdFromMailAsync(string data, string email, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (MailOutbox.Read(data).FirstOrDefault(m => m.To == email && m.FileName.Contains("_verification_", StringComparison.Ordinal)) is { } mail)
            {
                return System.Text.RegularExpressions.Regex.Match(mail.FileName, "^dr_[0-9a-f]{24}").Value;
            }

            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException("No verification email within 60 s.");
            }

            await Task.Delay(100, cancellationToken);
        }
    }
}
