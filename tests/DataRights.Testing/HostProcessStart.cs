using System.Diagnostics;

namespace DataRights.Testing;

/// <summary>
/// Starts the real host as a process of its own (<c>dotnet DataRights.Host.dll</c> from the caller's output folder),
/// in Development with the staff header, on a loopback port and data folder of the caller's choosing, so it can be
/// killed with SIGKILL and started again on the same data (the crash test and the recovery benchmark).
/// </summary>
public static class HostProcessStart
{
    /// <summary>Starts it with <paramref name="environment"/> over the defaults; its output is read and dropped.</summary>
    public static Process Start(string data, int port, IEnumerable<KeyValuePair<string, string>> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var bin = AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet", [Path.Combine(bin, "DataRights.Host.dll"), "--urls", $"http://127.0.0.1:{port}", "--contentRoot", bin])
        {
            WorkingDirectory = data,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DataRights__DevSignIn"] = "true";
        start.Environment["DataRights__DataDirectory"] = data;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the host.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
