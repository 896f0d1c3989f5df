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
            Description = "Also run the same submissions in-process through IntakeService (no HTTP) and straight into the store, to show where the time goes.",
        };
        var command = new Command(
            "intake",
            "Intake over loopback HTTP with durable commits: requests/s, p50/p90/p99/max latency, and the raw single-row SQLite commit rate (1 and C connections) in the same run. Target: intake >= 50% of the raw sequential rate.");
        run.AddTo(command);
        command.Options.Add(breakdown);
        command.SetAction((result, cancellationToken) =>
            IntakeBenchmark.RunAsync(run.Read(result), result.GetValue(breakdown), Console.Out, cancellationToken));
        return command;
    }
}
