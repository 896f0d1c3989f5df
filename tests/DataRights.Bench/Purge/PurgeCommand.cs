using System.CommandLine;

namespace DataRights.Bench.Purge;

/// <summary><c>purge</c>: retention purge of 1M expired rows against a raw batched DELETE, and intake latency during a purge.</summary>
internal static class PurgeCommand
{
    public static Command Create()
    {
        var rows = new Option<int>("--rows") { Description = "Expired rows to purge (plus 5% recent rows that stay).", DefaultValueFactory = _ => 1_000_000 };
        var batch = new Option<int>("--batch") { Description = "Rows per batch, for the product and the raw DELETE alike.", DefaultValueFactory = _ => 1000 };
        var rounds = new Option<int>("--rounds") { Description = "Raw and product purges take turns this many times; the median of each is compared (0 skips them: intake phase only).", DefaultValueFactory = _ => 3 };
        var concurrency = new Option<int>("--concurrency", "-c") { Description = "Concurrent intake clients.", DefaultValueFactory = _ => 8 };
        var seconds = new Option<int>("--seconds") { Description = "Idle intake measured this long before, between and after the purges under load.", DefaultValueFactory = _ => 15 };
        var pause = new Option<int>("--pause-ms") { Description = "Pause between batches while intake is measured (the product's default BatchPause is 25 ms); the throughput rounds use none, like the raw loop.", DefaultValueFactory = _ => 25 };
        var perActivity = new Option<int[]>("--batches-per-activity")
        {
            Description = "Batches one purge activity runs (DataRights:Retention:BatchesPerActivity); several values (repeat the option) take turns in every round.",
            DefaultValueFactory = _ => [20],
            AllowMultipleArgumentsPerToken = true,
        };
        var intakeRows = new Option<int?>("--intake-rows") { Description = "Expired rows the purges under intake load delete (default: --rows; 0 skips the intake phase)." };
        var intakeHub = new Option<string>("--intake-hub") { Description = "shared (intake on the purging host and its task hub, the default) or separate (intake on a host with a task hub of its own, as on Azure).", DefaultValueFactory = _ => "shared" };
        intakeHub.AcceptOnlyFromAmong("shared", "separate");
        var quick = new Option<bool>("--quick") { Description = "Smoke run: 100k rows, one round, 3 s idle." };
        var command = new Command("purge", "Retention purge through the real purge orchestration and SQLite connector against a raw batched DELETE on the same database, and intake p99 during a purge against idle.");
        foreach (var option in new Option[] { rows, batch, rounds, concurrency, seconds, pause, perActivity, intakeRows, intakeHub, quick })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, token) =>
        {
            var isQuick = result.GetValue(quick);
            var rowCount = isQuick && result.GetResult(rows) is null or { Implicit: true } ? 100_000 : result.GetValue(rows);
            var settings = new PurgeSettings(
                rowCount,
                result.GetValue(batch),
                isQuick && result.GetResult(rounds) is null or { Implicit: true } ? 1 : result.GetValue(rounds),
                result.GetValue(concurrency),
                TimeSpan.FromSeconds(isQuick && result.GetResult(seconds) is null or { Implicit: true } ? 3 : result.GetValue(seconds)),
                TimeSpan.FromMilliseconds(result.GetValue(pause)),
                result.GetValue(perActivity) is { Length: > 0 } perActivityValues ? perActivityValues : [20],
                result.GetValue(intakeRows) ?? rowCount,
                result.GetValue(intakeHub) == "separate");
            return PurgeBenchmark.RunAsync(settings, Console.Out, token);
        });
        return command;
    }
}
