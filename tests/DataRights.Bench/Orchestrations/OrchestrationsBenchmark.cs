using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using DataRights.Bench.Reporting;
using DataRights.Bench.Storage;
using DataRights.Bench.Workflow;
using DataRights.Testing;
using DataRights.Testing.Azurite;
using Microsoft.DurableTask.Client;

namespace DataRights.Bench.Orchestrations;

/// <summary>
/// The request orchestrations on the local task hub (Azurite): N requests x M fake sources of latency L end to end
/// (bench mode auto-approves), against a trivial orchestration with the same activities and events per request on
/// the same backend in the same run; then one request across 20 sources, its discovery time against L.
/// </summary>
internal static class OrchestrationsBenchmark
{
    public sealed record Settings(int Requests, int Sources, int LatencyMs, int FanOutSources, int FanOutLatencyMs, int FanOutRuns = 3);

    public static async Task<int> RunAsync(Settings s, TextWriter output, CancellationToken cancellationToken)
    {
        using var scratch = new Hosting.ScratchDirectory("datarights-bench-orchestrations-");
        var machine = MachineFacts.Collect(await Storage.SqliteVersion.ReadAsync(cancellationToken));
        output.WriteLine("DataRights bench: request orchestrations on the local task hub (gRPC sidecar over DurableTask.AzureStorage on Azurite, in memory)");
        output.WriteLine($"Machine   : {machine.Summary}");
        output.WriteLine($"Run       : {s.Requests} requests x {s.Sources} sources, source latency {s.LatencyMs} ms");
        output.WriteLine($"Load avg  : {MachineFacts.LoadAverage()} at start");

        // Each phase on an Azurite of its own, stopped when the phase ends: a task hub's backend whose stop timed out
        // (it is given a few seconds) would otherwise go on polling the next phase's Azurite and slow it down.
        output.WriteLine("Phase     : the requests, end to end");
        Throughput product;
        await using (var azurite = await AzuriteServer.StartAsync(cancellationToken))
        {
            product = await ThroughputAsync(s, azurite, scratch.File("throughput"), cancellationToken);
        }

        output.WriteLine("Phase     : the trivial orchestrations");
        var shape = new TrivialTaskHub.Shape([1, s.Sources, s.Sources, Math.Max(1, (int)Math.Round(product.ActivitiesPerRequest) - 1 - (2 * s.Sources))]);
        TimeSpan trivial;
        await using (var azurite = await AzuriteServer.StartAsync(cancellationToken))
        {
            trivial = await TrivialAsync(s.Requests, shape, azurite, cancellationToken);
        }

        output.WriteLine("Phase     : the fan-out");
        IReadOnlyList<TimeSpan> fanOuts;
        await using (var azurite = await AzuriteServer.StartAsync(cancellationToken))
        {
            fanOuts = await FanOutAsync(s, azurite, scratch.File("fanout"), cancellationToken);
        }

        // The floor under it: the same fan-out with nothing of the program's, on the same task hub and settings.
        output.WriteLine("Phase     : the task hub's own fan-out");
        IReadOnlyList<TimeSpan> floors;
        await using (var azurite = await AzuriteServer.StartAsync(cancellationToken))
        {
            floors = await TrivialFanOutAsync(s, azurite, cancellationToken);
        }

        var (fanOut, floor) = (Median(fanOuts), Median(floors));

        var productRate = s.Requests / product.Elapsed.TotalSeconds;
        var trivialRate = s.Requests / trivial.TotalSeconds;
        var ratio = productRate / trivialRate;
        var fanRatio = fanOut.TotalMilliseconds / s.FanOutLatencyMs;
        output.WriteLine();
        output.WriteLine($"DataRights : {s.Requests} requests completed in {product.Elapsed.TotalSeconds:0.00} s = {productRate:0.0} requests/s, {product.ItemsPerRequest:0.0} work items and {product.ActivitiesPerRequest:0.0} activities per request, {product.StoreCallsPerItem:0.0} calls to the pipeline's store per work item (the staff API's verifications included)");
        output.WriteLine($"Trivial    : {s.Requests} orchestrations of {shape.ActivitiesPerRound.Sum()} no-op activities and {shape.ActivitiesPerRound.Count - 1} events in {trivial.TotalSeconds:0.00} s = {trivialRate:0.0}/s");
        output.WriteLine($"  ratio      : {ratio:0.00} {Verdict(ratio >= 0.5)} (target >= 0.5)");
        output.WriteLine($"Fan-out    : 1 request x {s.FanOutSources} sources of {s.FanOutLatencyMs} ms, median of {fanOuts.Count} requests: discovery {fanOut.TotalMilliseconds:0} ms = {fanRatio:0.00} x L {Verdict(fanRatio <= 1.5)} (target <= 1.5; each: {Each(fanOuts)})");
        output.WriteLine($"  floor      : the task hub alone, an event then {s.FanOutSources} activities of {s.FanOutLatencyMs} ms side by side then one more step, median of {floors.Count}: {floor.TotalMilliseconds:0} ms = {floor.TotalMilliseconds / s.FanOutLatencyMs:0.00} x L (each: {Each(floors)}); the discovery took {fanOut / floor:0.00} x the floor");
        output.WriteLine();
        output.WriteLine("README row:");
        output.WriteLine("| date | N x M, L | requests/s | activities per request | trivial orchestrations/s | ratio (target >= 0.5) | discovery fan-out, 20 sources / L (target <= 1.5) |");
        output.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {TimeProvider.System.GetUtcNow():yyyy-MM-dd} | {s.Requests} x {s.Sources}, {s.LatencyMs} ms | {productRate:0.0} | {product.ActivitiesPerRequest:0.0} | {trivialRate:0.0} | {ratio:0.00} | {fanRatio:0.00} (floor {floor.TotalMilliseconds / s.FanOutLatencyMs:0.00}) |"));
        return 0;
    }

    private static string Verdict(bool pass) => pass ? "PASS" : "BELOW TARGET";

    private static TimeSpan Median(IReadOnlyList<TimeSpan> runs) => runs.Order().ElementAt(runs.Count / 2);

    private static string Each(IReadOnlyList<TimeSpan> runs) => string.Join(", ", runs.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.TotalMilliseconds:0} ms")));

    private sealed record Throughput(TimeSpan Elapsed, double ItemsPerRequest, double ActivitiesPerRequest, double StoreCallsPerItem);

    private static async Task<Throughput> ThroughputAsync(Settings s, AzuriteServer azurite, string folder, CancellationToken cancellationToken)
    {
        var sources = Enumerable.Range(1, s.Sources).Select(i => new InMemoryDataSource($"s{i}", $"Source {i}") { Delay = TimeSpan.FromMilliseconds(s.LatencyMs) }).ToArray();
        using var host = new WorkflowHost(HostSettings(folder, azurite, "throughput"), new InMemorySourceRegistry(sources));
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-DataRights-Dev-User", "bench");
        var store = StoreCounts.For(host.Services);

        var ids = await WorkflowRuns.SubmitAsync(client, sources, s.Requests, cancellationToken);

        await StoreCounts.WaitAsync("outstanding messages", store.OutstandingMessagesAsync, 0, cancellationToken);
        var items0 = await store.DoneWorkItemsAsync(cancellationToken);
        var activities0 = await store.ActivitiesScheduledAsync(cancellationToken);
        var calls0 = host.StoreCalls.Count;
        var clock = Stopwatch.StartNew();
        await WorkflowRuns.VerifyAllAsync(client, ids, cancellationToken);
        await StoreCounts.WaitAsync("completed requests", t => StoreCallCounter.Uncounted(() => store.RequestsAsync(["completed"], t)), s.Requests, cancellationToken, poll: 50);
        await StoreCounts.WaitAsync("outstanding work items (timers aside)", t => StoreCallCounter.Uncounted(() => store.OutstandingNonTimersAsync(t)), 0, cancellationToken);
        clock.Stop();
        var calls = host.StoreCalls.Count - calls0;
        var items = await store.DoneWorkItemsAsync(cancellationToken) - items0;
        var activities = await store.ActivitiesScheduledAsync(cancellationToken) - activities0;
        return new Throughput(clock.Elapsed, (double)items / s.Requests, (double)activities / s.Requests, (double)calls / Math.Max(1, items));
    }

    private static async Task<TimeSpan> TrivialAsync(int instances, TrivialTaskHub.Shape shape, AzuriteServer azurite, CancellationToken cancellationToken)
    {
        await using var hub = await TrivialTaskHub.StartAsync(azurite.ConnectionString, "benchtrivial", cancellationToken);
        var events = shape.ActivitiesPerRound.Count - 1;
        var clock = Stopwatch.StartNew();
        var ids = new string[instances];
        await Parallel.ForAsync(0, instances, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, token) =>
        {
            ids[i] = await hub.Client.ScheduleNewOrchestrationInstanceAsync(TrivialTaskHub.Orchestration, shape, token);

            // As the relay does: events only once the instance runs (the backend drops them before).
            await hub.Client.WaitForInstanceStartAsync(ids[i], token);
            for (var e = 0; e < events; e++)
            {
                await hub.Client.RaiseEventAsync(ids[i], TrivialTaskHub.Event, e, token);
            }
        });
        await Parallel.ForAsync(0, instances, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, token) =>
        {
            var done = await hub.Client.WaitForInstanceCompletionAsync(ids[i], getInputsAndOutputs: false, token);
            if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
            {
                throw new InvalidOperationException($"Trivial orchestration {ids[i]} ended {done.RuntimeStatus}.");
            }
        });
        return clock.Elapsed;
    }

    private static async Task<IReadOnlyList<TimeSpan>> TrivialFanOutAsync(Settings s, AzuriteServer azurite, CancellationToken cancellationToken)
    {
        await using var hub = await TrivialTaskHub.StartAsync(azurite.ConnectionString, "benchfloor", cancellationToken, TimeSpan.Parse(MaxQueuePollingInterval, CultureInfo.InvariantCulture));
        var runs = new List<TimeSpan>(s.FanOutRuns + 1);
        for (var run = 0; run <= s.FanOutRuns; run++)
        {
            var id = await hub.Client.ScheduleNewOrchestrationInstanceAsync(TrivialTaskHub.FanOut, new TrivialTaskHub.FanOutShape(s.FanOutSources, s.FanOutLatencyMs), cancellationToken);
            await hub.Client.WaitForInstanceStartAsync(id, cancellationToken);

            // Quiet first, as the discovery's phase waits for its request's messages to drain before its clock starts.
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            var start = Stopwatch.GetTimestamp();
            await hub.Client.RaiseEventAsync(id, TrivialTaskHub.Event, 0, cancellationToken);
            var marked = await hub.MarkedAsync(id).WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
            var began = hub.SleepsBegan(id).Select(at => Stopwatch.GetElapsedTime(start, at).TotalMilliseconds).ToList();
            Console.WriteLine($"  ({(runs.Count == 0 ? "warm-up, not counted: " : string.Empty)}the task hub alone: its activities began {began.Min():0} ms to {began.Max():0} ms after the event was raised; the step after them at {Stopwatch.GetElapsedTime(start, marked).TotalMilliseconds:0} ms)");
            runs.Add(Stopwatch.GetElapsedTime(start, marked));
        }

        // The first warmed the host up, as the discovery's first request does: not counted.
        return runs[1..];
    }

    private static async Task<IReadOnlyList<TimeSpan>> FanOutAsync(Settings s, AzuriteServer azurite, string folder, CancellationToken cancellationToken)
    {
        var sources = Enumerable.Range(1, s.FanOutSources).Select(i => new InMemoryDataSource($"f{i}", $"Fan {i}") { Delay = TimeSpan.FromMilliseconds(s.FanOutLatencyMs) }).ToArray();
        // One request first to warm the host (its connections to Azurite, the code paths), not counted.
        var emails = Enumerable.Range(0, s.FanOutRuns + 1).Select(run => $"fan{run}@example.com").ToArray();
        foreach (var source in sources)
        {
            foreach (var email in emails)
            {
                source.Add(email, 2);
            }
        }

        using var host = new WorkflowHost(HostSettings(folder, azurite, "fanout"), new InMemorySourceRegistry(sources));
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-DataRights-Dev-User", "bench");
        var store = StoreCounts.For(host.Services);
        var runs = new List<TimeSpan>(emails.Length);
        foreach (var email in emails)
        {
            // Each request on its own: the one before has completed and the task hub has gone quiet.
            await StoreCounts.WaitAsync("completed requests", t => store.RequestsAsync(["completed"], t), runs.Count, cancellationToken);
            var id = await WorkflowRuns.SubmitOneAsync(client, email, cancellationToken);
            await StoreCounts.WaitAsync("outstanding messages", store.OutstandingMessagesAsync, 0, cancellationToken);

            var clock = Stopwatch.StartNew();
            var starts = new System.Collections.Concurrent.ConcurrentBag<double>();
            foreach (var source in sources)
            {
                source.BeforeDiscover = _ =>
                {
                    starts.Add(clock.Elapsed.TotalMilliseconds);
                    return Task.CompletedTask;
                };
            }

            using var verified = await client.PostAsJsonAsync($"/api/admin/requests/{id}/verify", new { }, cancellationToken);
            verified.EnsureSuccessStatusCode();
            var answered = clock.Elapsed;
            await StoreCounts.WaitAsync("executing or completed", t => store.RequestsAsync(["executing", "completed"], t), runs.Count + 1, cancellationToken, poll: 2);
            var elapsed = clock.Elapsed;
            Console.WriteLine($"  ({(runs.Count == 0 ? "warm-up, not counted: " : string.Empty)}the verification was answered after {answered.TotalMilliseconds:0} ms; the source calls began {starts.Min():0} ms to {starts.Max():0} ms after it was sent; discovery ended at {elapsed.TotalMilliseconds:0} ms)");
            runs.Add(elapsed);
        }

        return runs[1..];
    }

    /// <summary>The program's task hub in these phases, and the task hub's own fan-out beside it, poll an empty queue at least this often.</summary>
    private const string MaxQueuePollingInterval = "00:00:00.100";

    private static Dictionary<string, string?> HostSettings(string folder, AzuriteServer azurite, string hub) => new(SharedAzurite.StorageSettings(azurite, folder))
    {
        ["DataRights:DataDirectory"] = folder,
        ["DataRights:Intake:PerClientPermitLimit"] = "1000000",
        ["DataRights:Intake:PerEmailPermitLimit"] = "1000000",
        ["DataRights:Workflow:AutoApprove"] = "true",
        ["DataRights:Durable:HubName"] = "bench" + hub,
        ["DataRights:Durable:MaxQueuePollingInterval"] = MaxQueuePollingInterval,
        ["Logging:LogLevel:Default"] = "Warning",
    };
}
