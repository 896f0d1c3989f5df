using System.CommandLine;
using DataRights.Bench.Cli;

namespace DataRights.Bench.Intake;

/// <summary><c>intake</c>: requests/s and latency of POST /api/requests against the raw SQLite commit rate.</summary>
internal static class IntakeCommand
{
    public static Command Create()
    {
        var run = new RunOptions();
        var breakdown = new Option<bool>("--breakdown")
        {
            Description = "Add lanes that show where the time goes: GET /healthz (HTTP floor), a POST that fails validation (HTTP + JSON, no store), and intake at concurrency 1. With --azure-table: intake on a second host with the orchestrations off.",
        };
        var workflowWorkers = new Option<int>("--workflow-workers")
        {
            Description = "Background workflow workers in the host (DataRights:Workflow:Workers). 0 measures intake alone: the work items it writes are not processed during the run.",
            DefaultValueFactory = _ => 0,
        };
        var azureTable = new Option<bool>("--azure-table")
        {
            Description = "The store on Table storage and the work handed to the request orchestrations (both on Azurite), at 1 and C clients, against a raw one-entity TableClient.AddEntityAsync at the same concurrency. Targets: intake >= 50% of the raw insert rate, p99 <= 100 ms at C clients.",
        };
        var command = new Command(
            "intake",
            "Intake over loopback HTTP with durable commits: requests/s, p50/p90/p99/max latency, and the raw single-row SQLite commit rate (1 and C connections) in the same run. Target: intake >= 50% of the raw sequential rate.");
        run.AddTo(command);
        command.Options.Add(breakdown);
        command.Options.Add(workflowWorkers);
        command.Options.Add(azureTable);
        command.SetAction((result, cancellationToken) => result.GetValue(azureTable)
            ? AzureTableIntakeBenchmark.RunAsync(run.Read(result), result.GetValue(breakdown), Console.Out, cancellationToken)
            : IntakeBenchmark.RunAsync(run.Read(result), result.GetValue(breakdown), result.GetValue(workflowWorkers), Console.Out, cancellationToken));
        return command;
    }
}
