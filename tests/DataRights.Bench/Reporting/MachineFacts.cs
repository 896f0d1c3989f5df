using System.Diagnostics;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;

namespace DataRights.Bench.Reporting;

/// <summary>What a figure depends on besides the code: cores, CPU, OS, runtime, GC mode, build, SQLite.</summary>
internal sealed record MachineFacts(
    int ProcessorCount, string Cpu, string Os, string Architecture, string Runtime, string Gc, bool OptimizedBuild, string SqliteVersion)
{
    public static MachineFacts Collect(string sqliteVersion) => new(
        Environment.ProcessorCount,
        CpuModel(),
        RuntimeInformation.OSDescription,
        RuntimeInformation.ProcessArchitecture.ToString(),
        RuntimeInformation.FrameworkDescription,
        (GCSettings.IsServerGC ? "server" : "workstation") + (GCSettings.LatencyMode == GCLatencyMode.Batch ? ", non-concurrent" : ", concurrent"),
        typeof(MachineFacts).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled != true,
        sqliteVersion);

    /// <summary>Short form for the README row.</summary>
    public string Summary => $"{ProcessorCount} CPU {Cpu}, {OsName}, {Runtime}";

    private string OsName => OperatingSystem.IsLinux() ? "Linux" : OperatingSystem.IsWindows() ? "Windows" : OperatingSystem.IsMacOS() ? "macOS" : Os;

    /// <summary>1, 5 and 15 minute load averages (Linux), to spot a run that shared the machine with other work.</summary>
    public static string LoadAverage()
    {
        const string LoadAvg = "/proc/loadavg";
        return OperatingSystem.IsLinux() && File.Exists(LoadAvg)
            ? string.Join(' ', File.ReadAllText(LoadAvg).Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(3))
            : "n/a";
    }

    /// <summary>The 1-minute load average (Linux; 0 elsewhere), to record with each sample.</summary>
    public static double LoadAverageOneMinute()
    {
        const string LoadAvg = "/proc/loadavg";
        return OperatingSystem.IsLinux() && File.Exists(LoadAvg)
            ? double.Parse(File.ReadAllText(LoadAvg).Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)
            : 0;
    }

    private static string CpuModel()
    {
        const string CpuInfo = "/proc/cpuinfo";
        if (!OperatingSystem.IsLinux() || !File.Exists(CpuInfo))
        {
            return "(model unknown)";
        }

        var line = File.ReadLines(CpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim() ?? "(model unknown)";
    }
}
