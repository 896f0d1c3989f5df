using System.CommandLine;
using DataRights.Bench.Intake;

namespace DataRights.Bench.Cli;

/// <summary>The root command. Each benchmark is one sub-command; add the next one (purge, export) here.</summary>
internal static class BenchCli
{
    public static RootCommand Create()
    {
        var root = new RootCommand("DataRights benchmarks: the real program in-process over loopback HTTP, measured against raw limits (a one-entity insert on Table storage for the store, raw SQL for the SQLite source connectors).");
        root.Subcommands.Add(IntakeCommand.Create());
        root.Subcommands.Add(Orchestrations.OrchestrationsCommand.Create());
        root.Subcommands.Add(Discovery.DiscoveryCommand.Create());
        root.Subcommands.Add(Export.ExportCommand.Create());
        root.Subcommands.Add(Stores.StoresCommand.Create());
        root.Subcommands.Add(Purge.PurgeCommand.Create());
        root.Subcommands.Add(Recovery.RecoveryCommand.Create());
        root.Subcommands.Add(Inbox.InboxCommand.Create());
        return root;
    }
}
