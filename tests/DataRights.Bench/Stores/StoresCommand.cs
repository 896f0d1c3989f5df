using System.CommandLine;

namespace DataRights.Bench.Stores;

/// <summary><c>stores</c>: the store workload on Azure Table storage (Azurite) against a raw one-entity insert.</summary>
internal static class StoresCommand
{
    public static Command Create()
    {
        var seconds = new Option<int>("--seconds") { Description = "Measured seconds per operation.", DefaultValueFactory = _ => 5 };
        var concurrency = new Option<int>("--concurrency", "-c") { Description = "Concurrent workers.", DefaultValueFactory = _ => 8 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds the seconds are split into; the store and the raw insert take turns each round.", DefaultValueFactory = _ => 3 };
        var quick = new Option<bool>("--quick") { Description = "Smoke run: 1 s per operation, one round." };
        var command = new Command(
            "stores",
            "The store ports under one workload (submit, get, commit a state change with audit entries and work items, save a purge report row, take and finish a step's note), on Azure Table storage through Azurite, against a raw one-entity TableClient.AddEntityAsync on the same Azurite in the same run: operations/s and their ratio.");
        command.Options.Add(seconds);
        command.Options.Add(concurrency);
        command.Options.Add(rounds);
        command.Options.Add(quick);
        command.SetAction((result, token) => StoresBenchmark.RunAsync(
            TimeSpan.FromSeconds(result.GetValue(quick) ? 1 : Math.Max(1, result.GetValue(seconds))),
            Math.Max(1, result.GetValue(concurrency)),
            result.GetValue(quick) ? 1 : Math.Max(1, result.GetValue(rounds)),
            Console.Out,
            token));
        return command;
    }
}
