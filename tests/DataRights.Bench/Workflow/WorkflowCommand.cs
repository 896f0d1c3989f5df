using System.CommandLine;

namespace DataRights.Bench.Workflow;

/// <summary><c>workflow</c>: end-to-end requests/s, work items/s and events/s on Table storage (Azurite), and the fan-out ratio.</summary>
internal static class WorkflowCommand
{
    public static Command Create()
    {
        var requests = new Option<int>("--requests", "-n") { Description = "Requests (N).", DefaultValueFactory = _ => 300 };
        var sources = new Option<int>("--sources", "-m") { Description = "Fake sources per request (M).", DefaultValueFactory = _ => 5 };
        var latency = new Option<int>("--latency") { Description = "Latency of every fake source call, ms (L).", DefaultValueFactory = _ => 20 };
        var workers = new Option<int>("--workers") { Description = "Background workers (DataRights:Workflow:Workers).", DefaultValueFactory = _ => 4 };
        var batch = new Option<int>("--batch") { Description = "Items one worker runs at once (DataRights:Workflow:BatchSize).", DefaultValueFactory = _ => 8 };
        var fanLatency = new Option<int>("--fanout-latency") { Description = "Latency of each of the 20 sources in the fan-out run, ms.", DefaultValueFactory = _ => 200 };
        var quick = new Option<bool>("--quick") { Description = "Smoke run: 40 requests." };
        var command = new Command("workflow", "End to end: N requests x M fake sources of latency L, bench mode auto-approves. The store on Table storage (Azurite). Prints requests/s, work items/s, audited events/s, and one request's fan-out time across 20 sources against L (target <= 1.5).");
        foreach (var option in new Option[] { requests, sources, latency, workers, batch, fanLatency, quick })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, token) =>
        {
            var isQuick = result.GetValue(quick);
            return WorkflowBenchmark.RunAsync(
                new WorkflowBenchmark.Settings(
                    isQuick ? 40 : result.GetValue(requests), result.GetValue(sources), result.GetValue(latency),
                    result.GetValue(workers), result.GetValue(batch), 20, result.GetValue(fanLatency)),
                Console.Out,
                token);
        });
        return command;
    }
}
