using DataRights.Bench.Cli;

namespace DataRights.Bench;

/// <summary>
/// Entry point. Not top-level statements: those would declare a global <c>Program</c> that clashes with the host's.
/// </summary>
internal static class BenchProgram
{
    public static Task<int> Main(string[] args) => BenchCli.Create().Parse(args).InvokeAsync();
}
