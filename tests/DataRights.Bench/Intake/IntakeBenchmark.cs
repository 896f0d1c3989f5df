using System.Globalization;
using Azure.Data.Tables;
using DataRights.Bench.Cli;
using DataRights.Bench.Hosting;
using DataRights.Bench.Measurement;
using DataRights.Bench.Reporting;
using DataRights.Bench.Storage;
using DurableOptions = DataRights.Host.Durable.DurableOptions;
using WorkflowCheckJob = DataRights.Host.Durable.WorkflowCheckJob;
using DataRights.Host.Storage;
using DataRights.Testing.Azurite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DataRights.Bench.Intake;

/// <summary>
/// <c>intake</c>: POST /api/requests through the real program on Kestrel, its store on Table
/// storage (Azurite) and its work handed to the request orchestrations on the local task hub (Azurite), at 1 and C
/// clients; against, in the same run on the same Azurite, a raw one-entity insert (<c>TableClient.AddEntityAsync</c>)
/// at the same concurrency. The four lanes take turns in rounds, in the reverse order every second round, each started
/// with the program idle (<see cref="ProgramIdle"/>).
/// </summary>
internal static class IntakeBenchmark
{
    /// <summary>Intake at least half the raw rate of the same single-entity insert.</summary>
    private const double RateTarget = 0.5;

    /// <summary>The measured host's tables.</summary>
    private const string TablePrefix = "BenchIntake";

    /// <summary>The targets: intake at least half the raw insert rate, and p99 at most this at C clients.</summary>
    private const double P99TargetMs = 100;

    public static async Task<int> RunAsync(RunSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        var c = settings.Concurrency;
        var machine = MachineFacts.Collect(await SqliteVersion.ReadAsync(cancellationToken));
        using var scratch = new ScratchDirectory("datarights-bench-tables-");
        await using var azurite = await AzuriteServer.StartAsync(cancellationToken);
        output.WriteLine("DataRights bench: intake on Table storage (POST /api/requests on loopback; store and task hub on Azurite, in memory)");
        output.WriteLine($"Machine   : {machine.ProcessorCount} logical processors, {machine.Cpu}, {machine.Os}, {machine.Runtime}");
        if (!machine.OptimizedBuild)
        {
            output.WriteLine("WARNING   : Debug build; run with -c Release for figures worth quoting.");
        }

        output.WriteLine(Invariant($"Run       : 1 and {c} clients, warm-up {settings.Warmup.TotalSeconds:0} s per lane, measured {settings.Duration.TotalSeconds:0} s per lane in {settings.Rounds} rounds{(settings.Quick ? " (--quick)" : string.Empty)}"));
        output.WriteLine($"Azurite   : tables {azurite.TableEndpoint}, queues {azurite.QueueEndpoint}, blobs {azurite.BlobEndpoint}");
        output.WriteLine($"Load avg  : {MachineFacts.LoadAverage()} at start");

        var raw = await RawTableInserts.CreateAsync(azurite.ConnectionString, "BenchRawInserts", cancellationToken);
        IReadOnlyList<LaneResult> lanes;
        Lane[] plan;
        long accepted;
        using (var host = new ProgramHost(HostSettings(scratch.File("host"), azurite)))
        {
            var address = host.Start();
            CheckConfiguration(host.Services);
            output.WriteLine($"Host      : real Program on Kestrel at {address} (Production), Table store, request orchestrations on the local task hub");
            output.WriteLine();

            // Every lane starts with the program idle: the orchestrations the intake lanes started (their verification
            // emails) done first, so the raw insert is not measured beside them (until 2026-12-05 it ran straight after an
            // intake lane, on the cores and the Azurite that lane's orchestrations were still using).
            var idle = new ProgramIdle(StoreCounts.For(host.Services), azurite.ProcessId);
            using var one = new IntakeClient(address, 1, "one");
            using var many = new IntakeClient(address, c, "many");
            await one.EnsureAcceptedAsync(cancellationToken);

            plan =
            [
                new Lane("intake: POST /api/requests -> 202 (c=1)", (d, ct) => TimedWorkers.RunAsync(1, d, one.SubmitAsync, dedicatedThreads: false, ct), idle.WaitAsync),
                new Lane("raw Table storage: AddEntityAsync, 1 entity (c=1)", (d, ct) => raw.RunAsync(1, d, ct), idle.WaitAsync),
                .. c > 1
                    ? new[]
                    {
                        new Lane(Invariant($"intake: POST /api/requests -> 202 (c={c})"), (d, ct) => TimedWorkers.RunAsync(c, d, many.SubmitAsync, dedicatedThreads: false, ct), idle.WaitAsync),
                        new Lane(Invariant($"raw Table storage: AddEntityAsync, 1 entity (c={c})"), (d, ct) => raw.RunAsync(c, d, ct), idle.WaitAsync),
                    }
                    : [],
            ];
            lanes = await InterleavedRuns.RunAsync(plan, settings.Warmup, settings.Duration, settings.Rounds, output, cancellationToken, alternate: true);
            output.WriteLine($"Idle      : {idle.Summary()}");
            accepted = one.Accepted + many.Accepted;

            // Every submission answered is taken in after the answer: the check and the count below wait for that.
            await StoreCounts.WaitAsync("submissions not taken in", StoreCounts.For(host.Services).SubmissionsNotTakenInAsync, 0, cancellationToken, poll: 50);

            // The hourly workflow check over every request the lanes left open (each with a live orchestration): its time
            // against as many raw point reads at the same concurrency, and that it restarted none.
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var (looked, restarted) = await host.Services.GetRequiredService<WorkflowCheckJob>().CheckAsync(cancellationToken);
            var checkTime = watch.Elapsed;
            var reads = await raw.PointReadsAsync(looked, WorkflowCheckJob.LookUpsAtOnce, cancellationToken);
            output.WriteLine(Invariant(
                $"Workflow check: {looked} open requests in {checkTime.TotalSeconds:0.00} s ({checkTime.TotalMilliseconds / Math.Max(1, looked):0.0} ms each, {WorkflowCheckJob.LookUpsAtOnce} at a time), {restarted} restarted{(restarted == 0 ? " (every one live: OK)" : "  MISMATCH: every one was live")}; {looked} raw point reads at the same concurrency {reads.TotalSeconds:0.00} s, ratio {checkTime / reads:0.0}"));
        }

        var stored = await CountRequestsAsync(azurite.ConnectionString, cancellationToken);
        output.WriteLine($"Load avg  : {MachineFacts.LoadAverage()} at end");
        return Report(output, machine, settings, lanes, stored, accepted);
    }

    private static int Report(TextWriter output, MachineFacts machine, RunSettings settings, IReadOnlyList<LaneResult> lanes, long stored, long accepted)
    {
        var table = new TextTable("lane", "ops/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "ops", "errors", "CPU ms/op", "CPU");
        foreach (var lane in lanes)
        {
            var r = lane.Total;
            table.Add(lane.Lane.Name, Invariant($"{r.PerSecond:0.0}"), Invariant($"{r.Latency.P50Ms:0.00}"), Invariant($"{r.Latency.P90Ms:0.00}"), Invariant($"{r.Latency.P99Ms:0.00}"),
                Invariant($"{r.Latency.MaxMs:0.00}"), Invariant($"{r.Succeeded}"), Invariant($"{r.Failed}"), Invariant($"{r.CpuMsPerOperation:0.000}"), Percent(r.CpuShare));
        }

        output.WriteLine();
        output.WriteLine(Invariant($"Results: {settings.Duration.TotalSeconds:0} s per lane in {settings.Rounds} rounds. CPU = this process (client, host, SDK; not Azurite) as a share of {machine.ProcessorCount} cores."));
        output.WriteLine();
        output.Write(table);
        output.WriteLine();
        foreach (var lane in lanes)
        {
            foreach (var (kind, count) in lane.Total.Errors.OrderByDescending(e => e.Value))
            {
                output.WriteLine(Invariant($"ERROR {lane.Lane.Name}: {count} x {kind}"));
            }
        }

        output.WriteLine(Invariant($"Requests in the Requests table: {stored}, expected {accepted} (every accepted submission, pre-flight and warm-up included){(stored == accepted ? " OK" : "  MISMATCH")}"));
        var rows = new List<string>();
        var pass = stored == accepted;
        for (var i = 0; i + 1 < lanes.Count && lanes[i + 1].Lane.Name.StartsWith("raw", StringComparison.Ordinal); i += 2)
        {
            var intake = lanes[i];
            var rawLane = lanes[i + 1];
            var ratio = RatioSummary.Of(intake, rawLane);
            var clients = intake.Total.Concurrency;
            var p99 = intake.Total.Latency.P99Ms;
            var meets = ratio.Median >= RateTarget && intake.Total.Failed == 0;
            var latencyMeets = clients == settings.Concurrency ? p99 <= P99TargetMs : true;
            pass &= meets && latencyMeets;
            var verdict = (meets ? "rate met" : "rate NOT met") + (clients == settings.Concurrency ? (latencyMeets ? ", p99 met" : ", p99 NOT met") : string.Empty);
            output.WriteLine(Invariant(
                $"c={clients}: intake / raw insert {Percent(ratio.Median)} median of rounds (rounds {Percent(ratio.Min)} to {Percent(ratio.Max)}), p99 {p99:0.0} ms (the raw insert's {rawLane.Total.Latency.P99Ms:0.0} ms): {verdict} (targets >= {Percent(RateTarget)}{(clients == settings.Concurrency ? Invariant($", p99 <= {P99TargetMs:0} ms") : string.Empty)})"));
            rows.Add(Invariant(
                $"| {TimeProvider.System.GetUtcNow():yyyy-MM-dd} | c={clients}, {settings.Duration.TotalSeconds:0} s × {settings.Rounds} rounds | {intake.Total.PerSecond:0} | {intake.Total.Latency.P50Ms:0.0} | {p99:0.0} | {rawLane.Total.PerSecond:0} | {rawLane.Total.Latency.P50Ms:0.0} | {rawLane.Total.Latency.P99Ms:0.0} | {Percent(ratio.Median)} (rounds {Percent(ratio.Min)} to {Percent(ratio.Max)}) | {verdict} |"));
        }

        output.WriteLine($"Overall: {(pass ? "targets met" : "targets NOT met")}");
        output.WriteLine();
        output.WriteLine("Rows for docs/benchmarks.md:");
        output.WriteLine("| date | run | intake req/s | p50 ms | p99 ms | raw inserts/s | raw p50 ms | raw p99 ms | intake / raw (median round) | result |");
        output.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var row in rows)
        {
            output.WriteLine(row);
        }

        return lanes.All(l => l.Total.Failed == 0) && stored == accepted ? 0 : 1;
    }

    private static Dictionary<string, string?> HostSettings(string dataDirectory, AzuriteServer azurite, string tablePrefix = TablePrefix) => new()
    {
        ["DataRights:DataDirectory"] = dataDirectory,
        ["AzureWebJobsStorage"] = azurite.ConnectionString,
        ["DataRights:Storage:TablePrefix"] = tablePrefix,
        ["DataRights:Storage:ExportContainer"] = tablePrefix.ToLowerInvariant() + "-exports",
        ["DataRights:Durable:HubName"] = "benchintake",
        ["DataRights:Intake:PerClientPermitLimit"] = "1000000",
        ["DataRights:Intake:PerEmailPermitLimit"] = "1000000",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
    };

    /// <summary>Fails fast when the settings did not reach the program: the figures would mean nothing.</summary>
    private static void CheckConfiguration(IServiceProvider services)
    {
        var storage = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        var orchestrations = services.GetRequiredService<IOptions<DurableOptions>>().Value;
        if (!storage.TablePrefix.StartsWith("Bench", StringComparison.Ordinal) || orchestrations.HubName != "benchintake")
        {
            throw new InvalidOperationException($"The benchmark settings did not take effect: table prefix {storage.TablePrefix}, task hub {orchestrations.HubName}.");
        }
    }

    private static async Task<long> CountRequestsAsync(string connectionString, CancellationToken cancellationToken)
    {
        var table = new TableServiceClient(connectionString).GetTableClient(TablePrefix + "Requests");
        long count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>("RowKey eq 'request'", select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            count++;
        }

        return count;
    }

    private static string Percent(double ratio) => (ratio * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
