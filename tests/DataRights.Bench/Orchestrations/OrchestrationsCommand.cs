using System.CommandLine;

namespace DataRights.Bench.Orchestrations;

/// <summary><c>orchestrations</c>: requests/s through the request orchestrations against a trivial orchestration on the same task hub, and the fan-out ratio.</summary>
internal static class OrchestrationsCommand
{
    public static Command Create()
    {
        var requests = new Option<int>("--requests", "-n") { Description = "Requests (N).", DefaultValueFactory = _ => 200 };
        var sources = new Option<int>("--sources", "-m") { Description = "Fake sources per request (M).", DefaultValueFactory = _ => 5 };
        var latency = new Option<int>("--latency") { Description = "Latency of every fake source call, ms (L).", DefaultValueFactory = _ => 20 };
        var fanLatency = new Option<int>("--fanout-latency") { Description = "Latency of each of the 20 sources in the fan-out run, ms.", DefaultValueFactory = _ => 200 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds of the two lanes taking turns (the ratio is their median).", DefaultValueFactory = _ => 3 };
        var quick = new Option<bool>("--quick") { Description = "Smoke run: 20 requests." };
        var storeApart = new Option<bool>("--store-apart")
        {
            Description = "The program's own store (requests, audit, work rows) on an Azurite of its own, its task hub alone on the Azurite it shares with nothing (as on Azure, where the storage services do not share one Node.js thread); the default keeps both on one, as ./run.sh does.",
        };
        var itemize = new Option<bool>("--itemize-calls")
        {
            Description = "Also count the program's store calls by kind and by the method that made them (a stack trace per call: it costs CPU, so the CPU and rate figures of such a run are not to be compared).",
        };
        var command = new Command("orchestrations", "The request orchestrations on the local task hub (Azurite): N requests x M fake sources of latency L end to end against a trivial orchestration with the same activities and events on the same backend (target ratio >= 0.5), and one request's discovery across 20 sources against L (target <= 1.5).");
        foreach (var option in new Option[] { requests, sources, latency, fanLatency, rounds, quick, storeApart, itemize })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, token) => OrchestrationsBenchmark.RunAsync(
            new OrchestrationsBenchmark.Settings(result.GetValue(quick) ? 20 : result.GetValue(requests), result.GetValue(sources), result.GetValue(latency), 20, result.GetValue(fanLatency), Rounds: Math.Max(1, result.GetValue(rounds))) { StoreApart = result.GetValue(storeApart), ItemizeCalls = result.GetValue(itemize) },
            Console.Out,
            token));
        return command;
    }
}
