using System.CommandLine;

namespace DataRights.Bench.Inbox;

/// <summary><c>inbox</c>: the staff console's inbox over many open requests, page by page, against a raw range query and raw point reads.</summary>
internal static class InboxCommand
{
    public static Command Create()
    {
        var requests = new Option<int>("--requests", "-n") { Description = "Open requests seeded.", DefaultValueFactory = _ => 50_000 };
        var samples = new Option<int>("--samples") { Description = "Timed requests per case.", DefaultValueFactory = _ => 60 };
        var quick = new Option<bool>("--quick") { Description = "Smoke run: 2,000 requests, 10 samples." };
        var command = new Command(
            "inbox",
            "The staff console's inbox (GET /staff through the real program, signed in with the development sign-in) over N open requests on Azurite (bulk-imported through the store, 500 of them through its intake path): the first page, filters by status, right and place, overdue only, a narrow filter, a search by reference and by address, and page 50 by cursor; p50/p95/p99 per case with the load average, against a raw Azurite range query of 26 rows and 25 raw point reads in parallel on the same Azurite in the same run (target: p95 <= 300 ms).");
        command.Options.Add(requests);
        command.Options.Add(samples);
        command.Options.Add(quick);
        command.SetAction((result, token) => InboxBenchmark.RunAsync(
            result.GetValue(quick) ? 2_000 : Math.Max(1_300, result.GetValue(requests)),
            result.GetValue(quick) ? 10 : Math.Max(5, result.GetValue(samples)),
            Console.Out,
            token));
        return command;
    }
}
