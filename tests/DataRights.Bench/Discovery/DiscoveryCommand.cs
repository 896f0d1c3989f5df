using System.CommandLine;

namespace DataRights.Bench.Discovery;

/// <summary><c>discovery</c>: SQL discovery in 10k vs 1M rows, and across all demo sources.</summary>
internal static class DiscoveryCommand
{
    public static Command Create()
    {
        var lookups = new Option<int>("--lookups") { Description = "Lookups measured per table size.", DefaultValueFactory = _ => 2000 };
        var quick = new Option<bool>("--quick") { Description = "Smoke run: 10k and 100k rows." };
        var command = new Command("discovery", "SQL discovery for one person in a table of 10k and of 1M rows (indexed identity field), side by side, and discovery across all demo sources.");
        command.Options.Add(lookups);
        command.Options.Add(quick);
        command.SetAction((result, token) => DiscoveryBenchmark.RunAsync(result.GetValue(lookups), result.GetValue(quick), Console.Out, token));
        return command;
    }
}
