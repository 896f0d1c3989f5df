using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using DataRights.Bench.Reporting;
using DataRights.Bench.Storage;
using DataRights.Bench.Workflow;
using DataRights.Testing;
using DataRights.Testing.Azurite;
using Microsoft.DurableTask;

namespace DataRights.Bench.Orchestrations;

/// <summary>
/// The request orchestrations on the local task hub (Azurite): N requests x M fake sources of latency L end to end
/// (bench mode auto-approves), against a trivial orchestration with the same activities and events per request on
/// the same backend in the same run; then one request across 20 sources, its discovery time against L.
/// </summary>
internal static class OrchestrationsBenchmark
{
    public sealed record Settings(int Requests, int Sources, int LatencyMs, int FanOutSources, int FanOutLatencyMs, int FanOutRuns = 3, int Rounds = 3, int WarmupRequests = 5)
    {
        /// <summary>The program's store on an Azurite of its own, apart from its task hub's (see the command's <c>--store-apart</c>).</summary>
        public bool StoreApart { get; init; }

        /// <summary>The program's store calls counted by kind and caller too (see the command's <c>--itemize-calls</c>).</summary>
        public bool ItemizeCalls { get; init; }
    }

    /// <summary>Before each lane's clock, once its orchestrations are waiting for their first event: quiet, alike for both lanes.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(Settings s, TextWriter output, CancellationToken cancellationToken)
    {
        using var scratch = new Hosting.ScratchDirectory("datarights-bench-orchestrations-");
        var machine = MachineFacts.Collect(await Storage.SqliteVersion.ReadAsync(cancellationToken));
        output.WriteLine("DataRights bench: request orchestrations on the local task hub (gRPC sidecar over DurableTask.AzureStorage on Azurite, in memory)");
        output.WriteLine($"Machine   : {machine.Summary}");
        output.WriteLine($"Run       : {s.Requests} requests x {s.Sources} sources, source latency {s.LatencyMs} ms; {s.Rounds} rounds after a warm-up of {s.WarmupRequests}, lanes alternating");
        output.WriteLine(s.StoreApart
            ? "Store     : the program's store on an Azurite of its own, apart from its task hub's (--store-apart)"
            : "Store     : the program's store and its task hub on one Azurite, as ./run.sh runs them");
        output.WriteLine($"Load avg  : {MachineFacts.LoadAverage()} at start");

        // Both lanes on Azurites of their own, stopped when the phase ends (a task hub's backend whose stop timed out
        // would otherwise go on polling the next phase's Azurite), running side by side through the phase so the lanes
        // can take turns: each lane's clock runs while the other lane's hub sits idle, alike for both.
        output.WriteLine("Phase     : the requests end to end against the trivial orchestrations, taking turns");
        var ratio = await WorkflowRatioAsync(s, scratch.File("throughput"), output, cancellationToken);

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
        var fanRatio = fanOut.TotalMilliseconds / s.FanOutLatencyMs;
        var rounds = ratio.Rounds;
        var medianRatio = MedianOf(rounds.Select(r => r.Ratio));
        var productRate = MedianOf(rounds.Select(r => r.ProductRate));
        var trivialRate = MedianOf(rounds.Select(r => r.TrivialRate));
        output.WriteLine();
        foreach (var (r, i) in rounds.Select((r, i) => (r, i)))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Round {i + 1}    : {(r.ProductFirst ? "product first" : "trivial first")}: DataRights {r.ProductRate:0.00} requests/s, trivial {r.TrivialRate:0.00}/s, ratio {r.Ratio:0.00} (load {r.Load})"));
        }

        output.WriteLine($"DataRights : {s.Requests} requests a round, median {productRate:0.00} requests/s, {ratio.ItemsPerRequest:0.0} work items, {ratio.ActivitiesPerRequest:0.0} activities and {ratio.EventsPerRequest:0.00} external events per request, {ratio.StoreCallsPerItem:0.0} calls to the pipeline's store per work item (the staff API's verifications included)");
        output.WriteLine($"Trivial    : {s.Requests} orchestrations a round of {ratio.Shape.ActivitiesPerRound.Sum()} no-op activities in {ratio.Shape.ActivitiesPerRound.Count} rounds ({string.Join("/", ratio.Shape.ActivitiesPerRound)}) after {ratio.Shape.Events} event(s), median {trivialRate:0.00}/s");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  CPU        : per request {ratio.ProductCpuMs.Own:0} ms in this process and {ratio.ProductCpuMs.Azurite:0} ms in Azurite; per trivial orchestration {ratio.TrivialCpuMs.Own:0} ms and {ratio.TrivialCpuMs.Azurite:0} ms (2 cores: the program's ceiling at its CPU alone is about {2000 / Math.Max(1, ratio.ProductCpuMs.Own + ratio.ProductCpuMs.Azurite):0.0} requests/s)"));
        output.WriteLine($"  ratio      : median of {rounds.Count} rounds {medianRatio:0.00} (each: {string.Join(", ", rounds.Select(r => r.Ratio.ToString("0.00", CultureInfo.InvariantCulture)))}) {Verdict(medianRatio >= 0.5)} (target >= 0.5)");
        output.WriteLine($"Fan-out    : 1 request x {s.FanOutSources} sources of {s.FanOutLatencyMs} ms, median of {fanOuts.Count} requests: discovery {fanOut.TotalMilliseconds:0} ms = {fanRatio:0.00} x L {Verdict(fanRatio <= 1.5)} (target <= 1.5; each: {Each(fanOuts)})");
        output.WriteLine($"  floor      : the task hub alone, an event then {s.FanOutSources} activities of {s.FanOutLatencyMs} ms side by side then one more step, median of {floors.Count}: {floor.TotalMilliseconds:0} ms = {floor.TotalMilliseconds / s.FanOutLatencyMs:0.00} x L (each: {Each(floors)}); the discovery took {fanOut / floor:0.00} x the floor");
        output.WriteLine($"Load avg  : {MachineFacts.LoadAverage()} at end");
        output.WriteLine();
        output.WriteLine("README row:");
        output.WriteLine("| date | N x M, L | requests/s | activities per request | trivial orchestrations/s | ratio (target >= 0.5) | discovery fan-out, 20 sources / L (target <= 1.5) |");
        output.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {TimeProvider.System.GetUtcNow():yyyy-MM-dd} | {s.Requests} x {s.Sources}, {s.LatencyMs} ms | {productRate:0.0} | {ratio.ActivitiesPerRequest:0.0} | {trivialRate:0.0} | {medianRatio:0.00} | {fanRatio:0.00} (floor {floor.TotalMilliseconds / s.FanOutLatencyMs:0.00}) |"));
        return 0;
    }

    private static string Verdict(bool pass) => pass ? "PASS" : "BELOW TARGET";

    private static TimeSpan Median(IReadOnlyList<TimeSpan> runs) => runs.Order().ElementAt(runs.Count / 2);

    private static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Each(IReadOnlyList<TimeSpan> runs) => string.Join(", ", runs.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.TotalMilliseconds:0} ms")));

    private sealed record Throughput(TimeSpan Elapsed, long Items, long Activities, long Events, long StoreCalls, Cpu Cpu);

    /// <summary>CPU time over a lane's timed window: this process (host, task hub, clients) and the lane's Azurites.</summary>
    private sealed record Cpu(TimeSpan Own, TimeSpan Azurite)
    {
        public static Cpu Now(IReadOnlyList<int?> azurites) => new(ProcessCpu.Own(), azurites.Aggregate(TimeSpan.Zero, (sum, pid) => sum + ProcessCpu.Of(pid)));

        public Cpu Since(Cpu before) => new(Own - before.Own, Azurite - before.Azurite);
    }

    private sealed record RoundResult(bool ProductFirst, double ProductRate, double TrivialRate, string Load)
    {
        public double Ratio => ProductRate / TrivialRate;
    }

    private sealed record WorkflowRatio(IReadOnlyList<RoundResult> Rounds, TrivialTaskHub.Shape Shape, double ItemsPerRequest, double ActivitiesPerRequest, double EventsPerRequest, double StoreCallsPerItem)
    {
        /// <summary>CPU per request over the measured rounds (this process, then Azurite: the task hub's and, apart, the store's).</summary>
        public (double Own, double Azurite) ProductCpuMs { get; init; }

        /// <summary>CPU per trivial orchestration over the measured rounds (this process, then its Azurite).</summary>
        public (double Own, double Azurite) TrivialCpuMs { get; init; }
    }

    /// <summary>
    /// The product and the trivial lane, each warmed up, then taking turns over the rounds (the order alternating). In
    /// both, the orchestrations are started and waiting for their first event before the clock; the clock covers the
    /// events (the staff API's verification; the trivial lane's client raising as many events per instance as the
    /// product's orchestrations took in their window) and ends when every orchestration of the round has completed,
    /// seen by the same look at each task hub's Instances table every <see cref="TaskHubInstances.PollMs"/> ms.
    /// </summary>
    private static async Task<WorkflowRatio> WorkflowRatioAsync(Settings s, string folder, TextWriter output, CancellationToken cancellationToken)
    {
        await using var productAzurite = await AzuriteServer.StartAsync(cancellationToken);
        await using var trivialAzurite = await AzuriteServer.StartAsync(cancellationToken);
        await using var storeAzurite = s.StoreApart ? await AzuriteServer.StartAsync(cancellationToken) : null;
        var sources = Enumerable.Range(1, s.Sources).Select(i => new InMemoryDataSource($"s{i}", $"Source {i}") { Delay = TimeSpan.FromMilliseconds(s.LatencyMs) }).ToArray();
        using var host = new WorkflowHost(HostSettings(folder, productAzurite, "throughput", storeAzurite), new InMemorySourceRegistry(sources));
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-DataRights-Dev-User", "bench");
        var store = StoreCounts.For(host.Services);
        var productDone = TaskHubInstances.For(productAzurite.ConnectionString, "benchthroughput", "request-");

        // The trivial lane's hub with the same polling setting as the product's.
        await using var hub = await TrivialTaskHub.StartAsync(trivialAzurite.ConnectionString, "benchtrivial", cancellationToken, TimeSpan.Parse(MaxQueuePollingInterval, CultureInfo.InvariantCulture));
        var trivialDone = TaskHubInstances.For(trivialAzurite.ConnectionString, "benchtrivial", "trivial-");

        var measured = new List<(int Requests, Throughput Run)>();
        var trivialCpu = new List<(int Orchestrations, Cpu Cpu)>();
        IReadOnlyList<int?> productAzurites = [productAzurite.ProcessId, storeAzurite?.ProcessId];
        var completed = 0L;
        async Task<double> ProductAsync(string tag, int count)
        {
            var run = await ThroughputAsync(client, store, host.StoreCalls, s.ItemizeCalls, productDone, sources, tag, count, productAzurites, cancellationToken);
            completed += count;
            var closed = await store.RequestsAsync(["completed"], cancellationToken);
            var left = await store.OutstandingWorkAsync(cancellationToken);
            if (closed != completed || left != 0)
            {
                throw new InvalidOperationException($"The orchestrations completed, yet {closed} of {completed} requests are completed and {left} work items are outstanding.");
            }

            measured.Add((count, run));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ({tag}: DataRights {count} requests in {run.Elapsed.TotalSeconds:0.00} s, {(double)run.Activities / count:0.0} activities and {(double)run.Events / count:0.00} events each; CPU per request {run.Cpu.Own.TotalMilliseconds / count:0} ms here, {run.Cpu.Azurite.TotalMilliseconds / count:0} ms Azurite; load {MachineFacts.LoadAverage()})"));
            return count / run.Elapsed.TotalSeconds;
        }

        TrivialTaskHub.Shape ShapeNow()
        {
            var requests = measured.Sum(m => m.Requests);
            var activities = (int)Math.Round((double)measured.Sum(m => m.Run.Activities) / requests);
            var events = Math.Max(1, (int)Math.Round((double)measured.Sum(m => m.Run.Events) / requests));
            int[] rounds = [1, s.Sources, s.Sources, Math.Max(0, activities - 2 - (2 * s.Sources)), 1];
            return new TrivialTaskHub.Shape([.. rounds.Where(n => n > 0)], events);
        }

        async Task<double> TrivialRoundAsync(string tag, int count)
        {
            var shape = ShapeNow();
            var (elapsed, cpu) = await TrivialAsync(hub, trivialDone, tag, count, shape, trivialAzurite.ProcessId, cancellationToken);
            trivialCpu.Add((count, cpu));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ({tag}: trivial {count} orchestrations of {shape.ActivitiesPerRound.Sum()} activities and {shape.Events} event(s) in {elapsed.TotalSeconds:0.00} s; CPU per orchestration {cpu.Own.TotalMilliseconds / count:0} ms here, {cpu.Azurite.TotalMilliseconds / count:0} ms Azurite; load {MachineFacts.LoadAverage()})"));
            return count / elapsed.TotalSeconds;
        }

        // Warm-up, not counted: the product first (the trivial lane's shape is taken from it), then the trivial lane.
        await ProductAsync("warm-up", s.WarmupRequests);
        await TrivialRoundAsync("warm-up", s.WarmupRequests);
        // The trivial lane's shape comes from every product run so far, the warm-up's included (the first round's may have only that).
        var warmUpEntries = measured.Count;

        var results = new List<RoundResult>(s.Rounds);
        for (var round = 1; round <= s.Rounds; round++)
        {
            var productFirst = round % 2 == 1;
            var tag = string.Create(CultureInfo.InvariantCulture, $"r{round}");
            double productRate, trivialRate;
            if (productFirst)
            {
                productRate = await ProductAsync(tag, s.Requests);
                trivialRate = await TrivialRoundAsync(tag, s.Requests);
            }
            else
            {
                trivialRate = await TrivialRoundAsync(tag, s.Requests);
                productRate = await ProductAsync(tag, s.Requests);
            }

            results.Add(new RoundResult(productFirst, productRate, trivialRate, MachineFacts.LoadAverage()));
        }

        var shape = ShapeNow();

        // Where the store calls of every timed window (the warm-up's too) went, per request, most first.
        if (s.ItemizeCalls)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  store calls per request by kind and caller ({completed} requests, warm-up included):"));
            foreach (var (kind, calls) in host.StoreCalls.Itemized().Take(40))
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {(double)calls / completed,5:0.00}  {kind}"));
            }
        }

        measured.RemoveRange(0, warmUpEntries);
        trivialCpu.RemoveAt(0);
        var total = measured.Sum(m => m.Requests);
        var trivialTotal = Math.Max(1, trivialCpu.Sum(t => t.Orchestrations));
        return new WorkflowRatio(
            results,
            shape,
            (double)measured.Sum(m => m.Run.Items) / total,
            (double)measured.Sum(m => m.Run.Activities) / total,
            (double)measured.Sum(m => m.Run.Events) / total,
            (double)measured.Sum(m => m.Run.StoreCalls) / Math.Max(1, measured.Sum(m => m.Run.Items)))
        {
            ProductCpuMs = (measured.Sum(m => m.Run.Cpu.Own.TotalMilliseconds) / total, measured.Sum(m => m.Run.Cpu.Azurite.TotalMilliseconds) / total),
            TrivialCpuMs = (trivialCpu.Sum(t => t.Cpu.Own.TotalMilliseconds) / trivialTotal, trivialCpu.Sum(t => t.Cpu.Azurite.TotalMilliseconds) / trivialTotal),
        };
    }

    private static async Task<Throughput> ThroughputAsync(
        HttpClient client, StoreCounts store, StoreCallCounter storeCalls, bool itemize, TaskHubInstances done, IReadOnlyList<InMemoryDataSource> sources, string tag, int count, IReadOnlyList<int?> azurites, CancellationToken cancellationToken)
    {
        var ids = await WorkflowRuns.SubmitAsync(client, store.RequestStore, sources, count, cancellationToken, "bench-" + tag);

        // Started before the clock, as the trivial lane's: each orchestration has sent its verification email and waits.
        await StoreCounts.WaitAsync("outstanding messages", store.OutstandingMessagesAsync, 0, cancellationToken, poll: TaskHubInstances.PollMs);
        await Task.Delay(Settle, cancellationToken);
        var done0 = await done.CompletedAsync(cancellationToken);
        var items0 = await store.DoneWorkItemsAsync(cancellationToken);
        var activities0 = await store.ActivitiesScheduledAsync(cancellationToken);
        var events0 = await store.EventsRaisedAsync(cancellationToken);
        var calls0 = storeCalls.Count;
        storeCalls.Itemizing = itemize;
        var cpu0 = Cpu.Now(azurites);
        var clock = Stopwatch.StartNew();
        await WorkflowRuns.VerifyAllAsync(client, ids, cancellationToken);
        await StoreCounts.WaitAsync("completed orchestrations", done.CompletedAsync, done0 + count, cancellationToken, poll: TaskHubInstances.PollMs);
        clock.Stop();
        storeCalls.Itemizing = false;
        var cpu = Cpu.Now(azurites).Since(cpu0);
        var calls = storeCalls.Count - calls0;
        var items = await store.DoneWorkItemsAsync(cancellationToken) - items0;
        var activities = await store.ActivitiesScheduledAsync(cancellationToken) - activities0;
        var events = await store.EventsRaisedAsync(cancellationToken) - events0;
        return new Throughput(clock.Elapsed, items, activities, events, calls, cpu);
    }

    private static async Task<(TimeSpan Elapsed, Cpu Cpu)> TrivialAsync(TrivialTaskHub hub, TaskHubInstances done, string tag, int instances, TrivialTaskHub.Shape shape, int? azurite, CancellationToken cancellationToken)
    {
        var ids = Enumerable.Range(0, instances).Select(i => string.Create(CultureInfo.InvariantCulture, $"trivial-{tag}-{i}")).ToArray();

        // Started before the clock, as the product's (intake starts them): each waits for its first event.
        await Parallel.ForAsync(0, instances, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, token) =>
        {
            await hub.Client.ScheduleNewOrchestrationInstanceAsync(TrivialTaskHub.Orchestration, shape, new StartOrchestrationOptions(ids[i]), token);
            await hub.Client.WaitForInstanceStartAsync(ids[i], token);
        });
        await Task.Delay(Settle, cancellationToken);
        var done0 = await done.CompletedAsync(cancellationToken);
        var cpu0 = Cpu.Now([azurite]);
        var clock = Stopwatch.StartNew();

        // As the staff API's verifications: 8 at a time; the events beyond the first (if the product took more) follow at once.
        await Parallel.ForAsync(0, instances, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, token) =>
        {
            for (var e = 0; e < shape.Events; e++)
            {
                await hub.Client.RaiseEventAsync(ids[i], TrivialTaskHub.Event, e, token);
            }
        });
        await StoreCounts.WaitAsync("completed trivial orchestrations", done.CompletedAsync, done0 + instances, cancellationToken, poll: TaskHubInstances.PollMs);
        return (clock.Elapsed, Cpu.Now([azurite]).Since(cpu0));
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

        await using var storeAzurite = s.StoreApart ? await AzuriteServer.StartAsync(cancellationToken) : null;
        using var host = new WorkflowHost(HostSettings(folder, azurite, "fanout", storeAzurite), new InMemorySourceRegistry(sources));
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-DataRights-Dev-User", "bench");
        var store = StoreCounts.For(host.Services);
        var runs = new List<TimeSpan>(emails.Length);
        foreach (var email in emails)
        {
            // Each request on its own: the one before has completed and the task hub has gone quiet.
            await StoreCounts.WaitAsync("completed requests", t => store.RequestsAsync(["completed"], t), runs.Count, cancellationToken, poll: TaskHubInstances.PollMs);
            var id = await WorkflowRuns.SubmitOneAsync(client, store.RequestStore, email, cancellationToken);
            await StoreCounts.WaitAsync("outstanding messages", store.OutstandingMessagesAsync, 0, cancellationToken);

            var clock = Stopwatch.StartNew();
            var starts = new System.Collections.Concurrent.ConcurrentBag<double>();

            // The end of the discovery, signalled in the process (as the floor's marking step is), without a look at the
            // store: the first call of the execution that follows it (the findings' commit, the approval, the execution's
            // first step). Until 2026-12-05 the Requests table was queried every 2 ms for the "executing" status, which
            // loaded the Azurite the program works on.
            var executed = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
            foreach (var source in sources)
            {
                source.BeforeDiscover = _ =>
                {
                    starts.Add(clock.Elapsed.TotalMilliseconds);
                    return Task.CompletedTask;
                };
                source.BeforeExecute = _ =>
                {
                    executed.TrySetResult(clock.Elapsed);
                    return Task.CompletedTask;
                };
            }

            using var verified = await client.PostAsJsonAsync($"/api/admin/requests/{id}/verify", new { }, cancellationToken);
            verified.EnsureSuccessStatusCode();
            var answered = clock.Elapsed;
            var elapsed = await executed.Task.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
            Console.WriteLine($"  ({(runs.Count == 0 ? "warm-up, not counted: " : string.Empty)}the verification was answered after {answered.TotalMilliseconds:0} ms; the source calls began {starts.Min():0} ms to {starts.Max():0} ms after it was sent; the execution's first call at {elapsed.TotalMilliseconds:0} ms)");
            runs.Add(elapsed);
        }

        return runs[1..];
    }

    /// <summary>The program's task hub in these phases, and the task hub's own fan-out beside it, poll an empty queue at least this often.</summary>
    private const string MaxQueuePollingInterval = "00:00:00.100";

    /// <summary>The host's settings: its task hub on <paramref name="azurite"/>, and its store there too or, given <paramref name="store"/>, on that one.</summary>
    private static Dictionary<string, string?> HostSettings(string folder, AzuriteServer azurite, string hub, AzuriteServer? store = null)
    {
        var settings = new Dictionary<string, string?>(SharedAzurite.StorageSettings(azurite, folder))
        {
            ["DataRights:DataDirectory"] = folder,
            ["DataRights:Intake:PerClientPermitLimit"] = "1000000",
            ["DataRights:Intake:PerEmailPermitLimit"] = "1000000",
            ["DataRights:Workflow:AutoApprove"] = "true",
            ["DataRights:Durable:HubName"] = "bench" + hub,
            ["DataRights:Durable:MaxQueuePollingInterval"] = MaxQueuePollingInterval,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (store is not null)
        {
            // A connection setting of its own for the store (DataRights:Storage:Connection names it); the task hub and
            // the submission queue stay on AzureWebJobsStorage.
            settings["DataRights:Storage:Connection"] = "PipelineStorage";
            settings["PipelineStorage"] = store.ConnectionString;
        }

        return settings;
    }
}
