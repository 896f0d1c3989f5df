using System.CommandLine;

namespace DataRights.Bench.Discovery;

/// <summary><c>discovery</c>: SQL discovery in 10k vs 1M rows, and across all demo sources; <c>--azure-table</c>: the azure-table connector on Azurite against raw queries.</summary>
internal static class DiscoveryCommand
{
    public static Command Create()
    {
        var lookups = new Option<int>("--lookups") { Description = "Lookups measured per table size.", DefaultValueFactory = _ => 2000 };
        var quick = new Option<bool>("--quick") { Description = "Smoke run: 10k and 100k rows." };
        var azureTable = new Option<bool>("--azure-table") { Description = "Instead: the azure-table connector on Azurite, 10k rows, against the same query sent raw." };
        var command = new Command("discovery", "SQL discovery for one person in a table of 10k and of 1M rows (indexed identity field), side by side, and discovery across all demo sources.");
        command.Options.Add(lookups);
        command.Options.Add(quick);
        command.Options.Add(azureTable);
        command.SetAction((result, token) => result.GetValue(azureTable)
            ? AzureTableDiscoveryBenchmark.RunAsync(result.GetValue(lookups), Console.Out, token)
            : DiscoveryBenchmark.RunAsync(result.GetValue(lookups), result.GetValue(quick), Console.Out, token));
        return command;
    }
}
