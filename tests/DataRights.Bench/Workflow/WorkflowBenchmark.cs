using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using DataRights.Bench.Hosting;
using DataRights.Bench.Reporting;
using DataRights.Bench.Storage;
using DataRights.Testing;
using DataRights.Testing.Azurite;

namespace DataRights.Bench.Workflow;

/// <summary>
/// End to end: N requests x M fake sources of latency L through the real engine, queue and workers
/// (bench mode auto-approves), the store on Table storage (a private Azurite, in memory). Prints requests/s, work
/// items/s and audited events/s (the program's Table client counts no round trips, so there is no raw-limit ratio);
/// then one request across 20 sources, to show the fan-out is parallel (its time against L).
/// </summary>
internal static class WorkflowBenchmark
{
    public sealed record Settings(int Requests, int Sources, int LatencyMs, int Workers, int BatchSize, int FanOutSources, int FanOutLatencyMs);

    public static async Task<int> RunAsync(Settings s, TextWriter output, CancellationToken cancellationToken)
    {
        using var scratch = new ScratchDirectory("datarights-bench-workflow-");
        await using var azurite = await AzuriteServer.StartAsync(cancellationToken);
        var machine = MachineFacts.Collect(await SqliteVersion.ReadAsync(cancellationToken));
        output.WriteLine("DataRights bench: workflow (intake -> verification -> fan-out discovery -> auto-approval -> fan-out execution -> completion)");
        output.WriteLine($"Machine   : {machine.Summary}");
        output.WriteLine($"Run       : {s.Requests} requests x {s.Sources} sources, source latency {s.LatencyMs} ms, {s.Workers} workers x batch {s.BatchSize}");
        output.WriteLine($"Load avg  : {MachineFacts.LoadAverage()} at start");

        output.WriteLine($"Store     : Table storage on Azurite at {azurite.TableEndpoint} (in memory)");

        var throughput = await ThroughputAsync(s, azurite, scratch.File("throughput"), cancellationToken);
        var fanOut = await FanOutAsync(s, azurite, scratch.File("fanout"), cancellationToken);

        output.WriteLine();
        output.WriteLine($"Throughput: {throughput.Requests} requests completed in {throughput.Elapsed.TotalSeconds:0.00} s");
        output.WriteLine($"  requests/s        : {throughput.Requests / throughput.Elapsed.TotalSeconds:0.0}");
        output.WriteLine($"  work items/s      : {throughput.WorkItems / throughput.Elapsed.TotalSeconds:0.0} ({throughput.WorkItems} items)");
        output.WriteLine($"  events/s          : {throughput.Events / throughput.Elapsed.TotalSeconds:0.0} (audited state changes; Durable Functions on Azure Storage publishes ~300-500 events/s per node)");
        output.WriteLine();
        output.WriteLine($"Fan-out   : 1 request x {s.FanOutSources} sources of {s.FanOutLatencyMs} ms each");
        output.WriteLine($"  discovery phase   : {fanOut.Discovery.TotalMilliseconds:0} ms = {fanOut.Discovery.TotalMilliseconds / s.FanOutLatencyMs:0.00} x L {Verdict(fanOut.Discovery.TotalMilliseconds / s.FanOutLatencyMs <= 1.5)} (target <= 1.5; sequential would be {s.FanOutSources} x L)");
        output.WriteLine($"  execution phase   : {fanOut.Execution.TotalMilliseconds:0} ms = {fanOut.Execution.TotalMilliseconds / s.FanOutLatencyMs:0.00} x L");
        output.WriteLine($"  end to end        : {fanOut.EndToEnd.TotalMilliseconds:0} ms = {fanOut.EndToEnd.TotalMilliseconds / s.FanOutLatencyMs:0.00} x L (two fan-outs, so >= 2 x L; {fanOut.EndToEnd.TotalMilliseconds / (2.0 * s.FanOutLatencyMs):0.00} x 2L)");
        output.WriteLine();
        output.WriteLine("README row:");
        output.WriteLine("| date | machine | N x M, L | requests/s | work items/s | events/s | discovery fan-out (20 sources) / L | end to end / L |");
        output.WriteLine("|---|---|---|---:|---:|---:|---:|---:|");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {TimeProvider.System.GetUtcNow():yyyy-MM-dd} | {machine.Summary} | {s.Requests} x {s.Sources}, {s.LatencyMs} ms | {throughput.Requests / throughput.Elapsed.TotalSeconds:0.0} | {throughput.WorkItems / throughput.Elapsed.TotalSeconds:0} | {throughput.Events / throughput.Elapsed.TotalSeconds:0} | {fanOut.Discovery.TotalMilliseconds / s.FanOutLatencyMs:0.00} | {fanOut.EndToEnd.TotalMilliseconds / s.FanOutLatencyMs:0.00} |"));
        return 0;
    }

    private static string Verdict(bool pass) => pass ? "PASS" : "BELOW TARGET";

    private sealed record ThroughputResult(int Requests, TimeSpan Elapsed, long WorkItems, long Events);

    private static async Task<ThroughputResult> ThroughputAsync(Settings s, AzuriteServer azurite, string folder, CancellationToken cancellationToken)
    {
        var sources = Enumerable.Range(1, s.Sources).Select(i => new InMemoryDataSource($"s{i}", $"Source {i}") { Delay = TimeSpan.FromMilliseconds(s.LatencyMs) }).ToArray();
        using var host = new WorkflowHost(HostSettings(s, azurite, folder, s.Workers), new InMemorySourceRegistry(sources));
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-DataRights-Dev-User", "bench");
        var store = StoreCounts.For(host.Services);

        var ids = await WorkflowRuns.SubmitAsync(client, sources, s.Requests, cancellationToken);

        await StoreCounts.WaitAsync("outstanding messages", store.OutstandingMessagesAsync, 0, cancellationToken);
        var (items0, events0) = (await store.DoneWorkItemsAsync(cancellationToken), await store.AuditEntriesAsync(cancellationToken));
        var clock = Stopwatch.StartNew();
        await WorkflowRuns.VerifyAllAsync(client, ids, cancellationToken);
        await StoreCounts.WaitAsync("completed requests", t => store.RequestsAsync(["completed"], t), s.Requests, cancellationToken, poll: 50);
        await StoreCounts.WaitAsync("outstanding work items (timers aside)", store.OutstandingNonTimersAsync, 0, cancellationToken);
        clock.Stop();
        var items = await store.DoneWorkItemsAsync(cancellationToken) - items0;
        var events = await store.AuditEntriesAsync(cancellationToken) - events0;
        return new ThroughputResult(s.Requests, clock.Elapsed, items, events);
    }

    private sealed record FanOutResult(TimeSpan Discovery, TimeSpan Execution, TimeSpan EndToEnd);

    private static async Task<FanOutResult> FanOutAsync(Settings s, AzuriteServer azurite, string folder, CancellationToken cancellationToken)
    {
        var sources = Enumerable.Range(1, s.FanOutSources).Select(i => new InMemoryDataSource($"f{i}", $"Fan {i}") { Delay = TimeSpan.FromMilliseconds(s.FanOutLatencyMs) }).ToArray();
        foreach (var source in sources)
        {
            source.Add("fan@example.com", 2);
        }

        using var host = new WorkflowHost(HostSettings(s, azurite, folder, s.Workers), new InMemorySourceRegistry(sources));
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-DataRights-Dev-User", "bench");
        var store = StoreCounts.For(host.Services);
        var id = await WorkflowRuns.SubmitOneAsync(client, "fan@example.com", cancellationToken);
        await StoreCounts.WaitAsync("outstanding messages", store.OutstandingMessagesAsync, 0, cancellationToken);

        var clock = Stopwatch.StartNew();
        using var verified = await client.PostAsJsonAsync($"/api/admin/requests/{id}/verify", new { }, cancellationToken);
        verified.EnsureSuccessStatusCode();
        await StoreCounts.WaitAsync("executing or completed", t => store.RequestsAsync(["executing", "completed"], t), 1, cancellationToken, poll: 2);
        var discovery = clock.Elapsed;
        await StoreCounts.WaitAsync("completed", t => store.RequestsAsync(["completed"], t), 1, cancellationToken, poll: 2);
        var total = clock.Elapsed;
        return new FanOutResult(discovery, total - discovery, total);
    }

    private static Dictionary<string, string?> HostSettings(Settings s, AzuriteServer azurite, string folder, int workers) => new(SharedAzurite.StorageSettings(azurite, folder))
    {
        ["DataRights:DataDirectory"] = folder,
        ["DataRights:Intake:PerClientPermitLimit"] = "1000000",
        ["DataRights:Intake:PerEmailPermitLimit"] = "1000000",
        // The in-process workers (the fallback), not the request orchestrations (the orchestrations bench measures those).
        ["DataRights:Durable:Enabled"] = "false",
        ["DataRights:Workflow:Workers"] = workers.ToString(CultureInfo.InvariantCulture),
        ["DataRights:Workflow:BatchSize"] = s.BatchSize.ToString(CultureInfo.InvariantCulture),
        ["DataRights:Workflow:PollInterval"] = "00:00:00.010",
        ["DataRights:Workflow:AutoApprove"] = "true",
        ["Logging:LogLevel:Default"] = "Warning",
    };
}
