using System.Globalization;

namespace DataRights.Bench.Reporting;

/// <summary>CPU time of this process and of other processes (Azurite), for the benches' CPU figures.</summary>
internal static class ProcessCpu
{
    /// <summary>This process's CPU time so far (the host, its task hub, the clients).</summary>
    public static TimeSpan Own() => Environment.CpuUsage.TotalTime;

    /// <summary>The CPU time so far of process <paramref name="pid"/> (utime + stime from /proc, Linux); zero where it cannot be read.</summary>
    public static TimeSpan Of(int? pid)
    {
        try
        {
            if (pid is not { } id || !OperatingSystem.IsLinux())
            {
                return TimeSpan.Zero;
            }

            var stat = File.ReadAllText($"/proc/{id}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

            // Fields 14 and 15 of the file (utime, stime), counted from the state (field 3) here; clock ticks of 1/100 s.
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromMilliseconds(ticks * 10);
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
        {
            return TimeSpan.Zero;
        }
    }
}
