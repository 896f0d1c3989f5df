using System.Diagnostics;
using System.Globalization;

namespace DataRights.Testing.Azurite;

/// <summary>
/// One Azurite for every test of a test process that runs the program on Table and Blob storage, started by the
/// first that asks and gone when the process exits (killed on a normal exit, and by a watchdog when the test
/// process is killed). Each program gets tables and a container of its own (<see cref="StorageSettings"/>).
/// </summary>
public static class SharedAzurite
{
    private static readonly Lazy<Task<AzuriteServer>> Server = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    public static Task<AzuriteServer> GetAsync() => Server.Value;

    /// <summary>
    /// Settings that keep the pipeline's records on the shared Azurite under names derived from <paramref name="owner"/>
    /// (a data folder's path): a program restarted on the same folder finds its records again.
    /// </summary>
    public static Dictionary<string, string?> StorageSettings(AzuriteServer azurite, string owner)
    {
        ArgumentNullException.ThrowIfNull(azurite);
        var name = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(owner)))[..20];
        return new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["DataRights:Storage:TablePrefix"] = "t" + name,
            ["DataRights:Storage:ExportContainer"] = "exports-" + name,
            ["DataRights:Durable:SubmissionQueue"] = "submissions-" + name,
        };
    }

    private static async Task<AzuriteServer> StartAsync()
    {
        var server = await AzuriteServer.StartAsync();
        if (server.ProcessId is { } azurite && !OperatingSystem.IsWindows())
        {
            // If this test process is killed (no exit handlers run), the watchdog ends Azurite within a second.
            var watch = string.Format(
                CultureInfo.InvariantCulture,
                "while kill -0 {0} 2>/dev/null; do sleep 1; done; kill {1} 2>/dev/null",
                Environment.ProcessId,
                azurite);
            using var watchdog = Process.Start(new ProcessStartInfo("sh", ["-c", watch]) { UseShellExecute = false });
        }

        return server;
    }
}
