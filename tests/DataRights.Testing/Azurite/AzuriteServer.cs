using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DataRights.Testing.Azurite;

/// <summary>
/// Azurite, the Azure Storage emulator, started from the repository's pinned npm install
/// (<c>tools/azurite</c>, installed by <c>./test.sh</c>) on three free loopback ports, in memory, and
/// killed on dispose. Tests that need Table or Blob storage start it; if it cannot start they fail with the reason.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;

    private AzuriteServer(Process process, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    public int BlobPort { get; }

    /// <summary>The Azurite (node) process, while it runs.</summary>
    public int? ProcessId => _process.HasExited ? null : _process.Id;

    public int QueuePort { get; }

    public int TablePort { get; }

    /// <summary>Where the Blob service listens, path-style with the development account.</summary>
    public Uri BlobEndpoint => new($"http://127.0.0.1:{BlobPort}/devstoreaccount1");

    /// <summary>Where the Table service listens, path-style with the development account.</summary>
    public Uri TableEndpoint => new($"http://127.0.0.1:{TablePort}/devstoreaccount1");

    /// <summary>Where the Queue service listens, path-style with the development account.</summary>
    public Uri QueueEndpoint => new($"http://127.0.0.1:{QueuePort}/devstoreaccount1");

    /// <summary>A connection string for the development account on these ports (what <c>AzureWebJobsStorage</c> holds locally).</summary>
    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + DevelopmentAccountKey
        + $";BlobEndpoint={BlobEndpoint};QueueEndpoint={QueueEndpoint};TableEndpoint={TableEndpoint};";

    /// <summary>The development account's well-known key (public; Azurite only).</summary>
    public const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>The script npm installed, or null when <c>npm ci</c> has not run in <c>tools/azurite</c>.</summary>
    public static string? FindScript()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "DataRights.sln")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            return null;
        }

        var script = Path.Combine(directory.FullName, "tools", "azurite", "node_modules", "azurite", "dist", "src", "azurite.js");
        return File.Exists(script) ? script : null;
    }

    public static async Task<AzuriteServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var script = FindScript() ?? throw new InvalidOperationException(
            "Azurite is not installed: run `npm ci` in tools/azurite (./test.sh does it before the tests). The Table storage tests need it and do not skip.");
        Exception? last = null;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            try
            {
                return await StartOnceAsync(script, cancellationToken);
            }
            catch (AzuriteStartException ex)
            {
                // A port taken between choosing it and Azurite binding it: choose again.
                last = ex;
            }
        }

        throw new InvalidOperationException("Azurite did not start after 3 attempts: " + last!.Message, last);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private static async Task<AzuriteServer> StartOnceAsync(string script, CancellationToken cancellationToken)
    {
        var (blob, queue, table) = (LoopbackPorts.Free(), LoopbackPorts.Free(), LoopbackPorts.Free());
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in new[]
                 {
                     script, "--silent", "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck",
                     "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--tableHost", "127.0.0.1", "--tablePort", table.ToString(System.Globalization.CultureInfo.InvariantCulture),
                 })
        {
            start.ArgumentList.Add(argument);
        }

        // For looking into what a run asks of storage: every request in Azurite's debug log (slow; never in a timed run).
        if (Environment.GetEnvironmentVariable("DATARIGHTS_AZURITE_DEBUG_LOG") is { Length: > 0 } debugLog)
        {
            start.ArgumentList.Add("--debug");
            start.ArgumentList.Add(debugLog + "." + table.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var output = new StringBuilder();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("Azurite needs Node.js (`node` on the PATH): " + ex.Message, ex);
        }

        void Collect(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data.Contains("Table service is successfully listening", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        }

        process.OutputDataReceived += Collect;
        process.ErrorDataReceived += Collect;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new AzuriteServer(process, blob, queue, table);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.KillQuietly();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        var exited = process.WaitForExitAsync(timeout.Token);
        var first = await Task.WhenAny(ready.Task, exited, Task.Delay(Timeout.Infinite, timeout.Token));
        if (first == ready.Task && await CanConnectAsync(table) && await CanConnectAsync(blob))
        {
            return server;
        }

        // Judged before the process is disposed (after that it has no state to ask), so the attempt is retried.
        var why = process.HasExited ? "Azurite exited" : $"Azurite was not ready within {StartTimeout.TotalSeconds:0} s";
        await server.DisposeAsync();
        string text;
        lock (output)
        {
            text = output.ToString().Trim();
        }

        throw new AzuriteStartException($"{why} (ports {blob}, {queue}, {table}). Its output: {(text.Length == 0 ? "(none)" : text)}");
    }

    private void KillQuietly()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone or disposed.
        }
    }

    private static async Task<bool> CanConnectAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }


    private sealed class AzuriteStartException(string message) : Exception(message);
}
