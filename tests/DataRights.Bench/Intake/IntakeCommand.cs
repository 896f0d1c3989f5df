using System.CommandLine;
using DataRights.Bench.Cli;

namespace DataRights.Bench.Intake;

/// <summary><c>intake</c>: requests/s and latency of POST /api/requests on Table storage against the raw one-entity insert rate.</summary>
internal static class IntakeCommand
{
    public static Command Create()
    {
        var run = new RunOptions();
        var command = new Command(
            "intake",
            "Intake over loopback HTTP, the store on Table storage and the work handed to the request orchestrations (both on Azurite), at 1 and C clients: requests/s and p50/p90/p99/max latency, against a raw one-entity TableClient.AddEntityAsync at the same concurrency in the same run. Targets: intake >= 50% of the raw insert rate, p99 <= 100 ms at C clients.");
        run.AddTo(command);
        command.SetAction((result, cancellationToken) =>
            IntakeBenchmark.RunAsync(run.Read(result), Console.Out, cancellationToken));
        return command;
    }
}
