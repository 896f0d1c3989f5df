using System.Diagnostics;

namespace DataRights.Testing;

/// <summary>
/// Starts the real host as a process of its own (<c>dotnet DataRights.Host.dll</c> from the caller's output folder),
/// in Development with the staff header, on a loopback port and data folder of the caller's choosing, so it can be
/// killed with SIGKILL, or stopped as an operator stops it (SIGTERM), and started again on the same data (the crash and
/// graceful-stop tests and the recovery benchmark).
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

    /// <summary>
    /// SIGTERM, as systemd, a container runtime or <c>kill</c> stops a host: it shuts down gracefully.
    /// Waits up to <paramref name="limit"/> for it to exit and returns its exit code; a host still running then is killed
    /// and the wait throws.
    /// </summary>
    public static async Task<int> TerminateAsync(Process process, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(process);
        using (var kill = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", $"kill -TERM {process.Id}"]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not run kill."))
        {
            await kill.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The host did not stop within {limit.TotalSeconds:0} s of SIGTERM; it was killed.");
        }

        return process.ExitCode;
    }
}
