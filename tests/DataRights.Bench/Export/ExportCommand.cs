using System.CommandLine;

namespace DataRights.Bench.Export;

/// <summary><c>export</c>: one person's export of 10k and 100k records: time, size and peak memory of the process.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var child = new Option<int>("--child-records") { Description = "Internal: run one export of this many records in this process and print its figures.", Hidden = true };
        var quick = new Option<bool>("--quick") { Description = "Smoke run: 1k and 10k records." };
        var stores = new Option<int>("--stores-mib") { Description = "Instead: write and read back one sealed package of this many MiB in Blob storage (Azurite), the only export store." };
        var command = new Command("export", "Export of one person with 10k and with 100k records across sources: time, output size and peak memory of the process (each size in a fresh process).");
        command.Options.Add(child);
        command.Options.Add(quick);
        command.Options.Add(stores);
        command.SetAction((result, token) => result.GetValue(child) is > 0 and var records
            ? ExportBenchmark.RunChildAsync(records, Console.Out, token)
            : result.GetValue(stores) is > 0 and var mebibytes
                ? ExportStoreBenchmark.RunAsync(mebibytes, Console.Out, token)
                : ExportBenchmark.RunAsync(result.GetValue(quick), Console.Out, token));
        return command;
    }
}
