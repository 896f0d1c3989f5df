using System.Diagnostics;
using System.Globalization;
using DataRights.Bench.Hosting;
using DataRights.Core.Retention;
using DataRights.Core.Sources.Registry;
using DataRights.Host.Retention;
using DataRights.Host.Retention.Durable;
using DataRights.Host.Sources;
using DataRights.Testing.Azurite;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace DataRights.Bench.Purge;

/// <summary>
/// The real program with a retention policy for call detail records in eu-west. Each purge gets its own
/// copy of the template as a newly registered source (the previous one deactivated), run through the
/// program's purge orchestration on the local task hub, and is checked: every expired row gone, every recent one kept.
/// </summary>
internal sealed class PurgeHost : IDisposable
{
    private const string Region = "eu-west";
    private readonly ProgramHost _host;
    private readonly string _directory;
    private readonly string _template;
    private int _purges;

    public PurgeHost(AzuriteServer azurite, string directory, string template, int batch, TimeSpan pause, int batchesPerActivity)
    {
        _directory = directory;
        _template = template;
        _host = new ProgramHost(Settings(azurite, directory, batch, pause, batchesPerActivity));
        Address = _host.Start();
    }

    public Uri Address { get; }

    public async Task<(long Rows, TimeSpan Elapsed)> PurgeAsync(int expired, int fresh, CancellationToken cancellationToken)
    {
        var services = _host.Services;
        var sources = services.GetRequiredService<ISourceRegistrationStore>();
        var key = string.Create(CultureInfo.InvariantCulture, $"cdr{++_purges}");
        // A sqlite source's path is relative to the sources folder (the data folder's "sources").
        var relative = "bench/" + key + ".db";
        var file = Path.Combine(_directory, "sources", "bench", key + ".db");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.Copy(_template, file);
        if (_purges > 1)
        {
            await sources.DeactivateAsync(string.Create(CultureInfo.InvariantCulture, $"cdr{_purges - 1}"), "bench", TimeProvider.System.GetUtcNow(), cancellationToken);
        }

        await sources.SaveAsync(Registration(key, relative), "bench", TimeProvider.System.GetUtcNow(), cancellationToken);
        await services.GetRequiredService<SourceRegistry>().ReloadAsync(cancellationToken);
        var region = PurgeRegions.Find(Region)!;
        var clock = Stopwatch.StartNew();
        var now = TimeProvider.System.GetUtcNow();
        // Each purge a run of its own (a staff run's id would be the same for two purges within a minute).
        var runId = "pr_" + Region + "_bench_" + key;
        // The purge orchestration on the local task hub (Azurite), as the Function App runs it: started, then awaited.
        var client = services.GetRequiredService<DurableTaskClient>();
        await services.GetRequiredService<PurgeOrchestrations>().StartNowAsync(client, region, runId, now, "bench", dryRun: false, cancellationToken);
        await client.WaitForInstanceCompletionAsync(PurgeOrchestrations.StaffInstanceId(runId), getInputsAndOutputs: false, cancellationToken);

        clock.Stop();
        var line = (await services.GetRequiredService<IPurgeStore>().RowsAsync(runId, cancellationToken)).Single(r => r.SourceKey == key);
        if (line.State != PurgeRow.Done || line.Purged != expired || CdrTable.Count(file, "1 = 1") != fresh)
        {
            throw new InvalidOperationException($"The purge of {key} did not do what it should: {line.State}, {line.Purged} purged, note: {line.Note}");
        }

        return (line.Purged, clock.Elapsed);
    }

    public void Dispose() => _host.Dispose();

    private static SourceRegistration Registration(string key, string path) => new()
    {
        Key = key, DisplayName = "Call detail records (bench)", ConnectorType = "sqlite", Access = "read-write", Region = Region,
        Connection = new Dictionary<string, string> { ["path"] = path },
        IdentityFields = ["email"],
        Categories =
        [
            new CategoryPolicy
            {
                Key = "telephony.cdr", DisplayName = "Telephony cdr", Strategy = "delete",
                Queries = new Dictionary<string, string>
                {
                    ["discover"] = "SELECT id AS record_key, started_at AS record_date FROM cdrs WHERE caller_email = $email",
                    ["delete"] = "DELETE FROM cdrs WHERE id = $record_key",
                    ["purge"] = CdrTable.PurgeSql,
                },
            },
        ],
    };

    /// <summary>Each host keeps its records in tables of its own on the shared Azurite (named after its data folder).</summary>
    private static Dictionary<string, string?> Settings(AzuriteServer azurite, string dataDirectory, int batch, TimeSpan pause, int batchesPerActivity) => new(SharedAzurite.StorageSettings(azurite, dataDirectory))
    {
        ["DataRights:DataDirectory"] = dataDirectory,
        ["AzureWebJobsStorage"] = azurite.ConnectionString,
        ["DataRights:Durable:HubName"] = "benchpurge" + Path.GetFileName(dataDirectory).Replace("-", string.Empty, StringComparison.Ordinal),
        ["DataRights:Retention:BatchesPerActivity"] = batchesPerActivity.ToString(CultureInfo.InvariantCulture),
        ["DataRights:Intake:PerClientPermitLimit"] = "1000000",
        ["DataRights:Intake:PerEmailPermitLimit"] = "1000000",
        ["DataRights:Retention:BatchSize"] = batch.ToString(CultureInfo.InvariantCulture),
        ["DataRights:Retention:BatchPause"] = pause.ToString("c", CultureInfo.InvariantCulture),

        // The region's own timer must not purge the bench source if the run crosses 02:30 London time.
        ["DataRights:Retention:DryRun"] = "true",
        ["DataRights:Retention:Policy:eu-west:0:Category"] = "telephony.cdr",
        ["DataRights:Retention:Policy:eu-west:0:MaxAge"] = "P6M",
        ["DataRights:Retention:Policy:eu-west:0:CountsFrom"] = "created",
        ["DataRights:Retention:Policy:eu-west:0:Basis"] = "Call detail records: 6 months (bench)",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
    };
}
