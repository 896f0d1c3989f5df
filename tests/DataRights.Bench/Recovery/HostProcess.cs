using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DataRights.Testing;

namespace DataRights.Bench.Recovery;

/// <summary>
/// The real host as a process of its own (<c>dotnet DataRights.Host.dll</c> from this program's output folder, as the
/// crash test starts it), in Development with the staff header, on a fixed loopback port and data folder so it can be
/// killed with SIGKILL and started again on the same data.
/// </summary>
internal sealed class HostProcess : IDisposable
{
    private readonly Process _process;
    private bool _disposed;

    private HostProcess(Process process, DateTimeOffset startedAt)
    {
        _process = process;
        StartedAt = startedAt;
    }

    /// <summary>When the process was started (just before <see cref="Process.Start()"/>).</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>When /healthz first answered 200.</summary>
    public DateTimeOffset HealthyAt { get; private set; }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<HostProcess> StartAsync(string data, int port, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var startedAt = TimeProvider.System.GetUtcNow();
        var process = HostProcessStart.Start(data, port, environment);
        var host = new HostProcess(process, startedAt);
        try
        {
            await host.WaitHealthyAsync(port, cancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return host;
    }

    /// <summary>SIGKILL: no shutdown, no flush, nothing handed back.</summary>
    public async Task KillAsync()
    {
        if (_disposed)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as an operator or a deployment stops it: it shuts down gracefully. Returns the seconds it took to exit.</summary>
    public async Task<double> TerminateAsync()
    {
        var asked = TimeProvider.System.GetTimestamp();
        await HostProcessStart.TerminateAsync(_process, TimeSpan.FromSeconds(90));
        return TimeProvider.System.GetElapsedTime(asked).TotalSeconds;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private async Task WaitHealthyAsync(int port, CancellationToken cancellationToken)
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var limit = Stopwatch.StartNew();
        while (limit.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with code {_process.ExitCode} while starting.");
            }

            try
            {
                using var health = await probe.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"), cancellationToken);
                if (health.IsSuccessStatusCode)
                {
                    HealthyAt = TimeProvider.System.GetUtcNow();
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            await Task.Delay(10, cancellationToken);
        }

        throw new TimeoutException("The host did not answer /healthz within 60 seconds.");
    }
}
