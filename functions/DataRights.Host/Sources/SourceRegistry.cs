using System.Text;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Core.Workflow;
using DataRights.Host.Hosting;
using DataRights.Host.Links;
using DataRights.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Sources;

/// <summary>
/// The registered sources and their connectors. Registrations live in the store; configuration seeds
/// them at start (validated strictly; the demo CRM and billing on a first run without any), and the
/// staff API changes them at run time. Requests fan out to a snapshot of the active ones.
/// </summary>
public sealed class SourceRegistry : IDataSourceRegistry, IDisposable
{
    public static readonly IReadOnlyList<string> ConnectorTypes = ["demo-crm", "sqlite", "manual", "http"];

    private readonly ISourceRegistrationStore _store;
    private readonly TimeProvider _time;
    private readonly string _dataDirectory;
    private readonly Lazy<byte[]> _maskKey;
    private readonly Dictionary<string, SqliteDatabase> _databases = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile Snapshot _snapshot = new([], new Dictionary<string, IDataSourceConnector>());

    private readonly IHttpClientFactory _http;

    public SourceRegistry(ISourceRegistrationStore store, IOptions<DataRightsOptions> dataRights, TimeProvider time, IHttpClientFactory http)
    {
        _http = http;
        _store = store;
        _time = time;
        _dataDirectory = Path.GetFullPath(dataRights.Value.DataDirectory);
        _maskKey = new Lazy<byte[]>(() => KeyFiles.LoadOrCreate(_dataDirectory, "mask.key"));
    }

    public IReadOnlyList<DataSourceDescriptor> ActiveSources() => _snapshot.Sources;

    public IDataSourceConnector? Connector(string sourceKey) => _snapshot.Connectors.GetValueOrDefault(sourceKey);

    /// <summary>Throws naming every problem (path and message) when any registration is invalid.</summary>
    public static void EnsureValid(IReadOnlyList<SourceRegistration> registrations, string prefix)
    {
        var problems = registrations
            .SelectMany((r, i) => SourceRegistrationValidator.Validate(r, ConnectorTypes).Select(e => $"{prefix}:{i} ({r.Key}): {e.Key}: {string.Join(" ", e.Value)}"))
            .ToList();
        if (registrations.Select(r => r.Key).Distinct(StringComparer.Ordinal).Count() != registrations.Count)
        {
            problems.Add($"{prefix}: two sources have the same key.");
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException(SourcesOptions.Section, typeof(SourcesOptions), problems);
        }
    }

    /// <summary>At start: configured registrations win; with none and an empty store, the demo sources.</summary>
    public async Task SeedAsync(IReadOnlyList<SourceRegistration> configured, CancellationToken cancellationToken)
    {
        EnsureValid(configured, "DataRights:Sources:Registered");
        var stored = await _store.ListAsync(cancellationToken);

        // Demo registrations nobody has changed follow the current demo (new queries, such as purge statements).
        var seeds = configured.Count > 0 ? configured
            : stored.Count == 0 ? DemoSources.Registrations
            : [.. DemoSources.Registrations.Where(d => stored.Any(s => s.Active && s.UpdatedBy == "demo" && s.Registration.Key == d.Key
                && WorkflowJson.Serialize(s.Registration) != WorkflowJson.Serialize(d)))];
        foreach (var registration in seeds)
        {
            await _store.SaveAsync(registration, configured.Count > 0 ? "configuration" : "demo", _time.GetUtcNow(), cancellationToken);
        }

        await ReloadAsync(cancellationToken);
    }

    /// <summary>Rebuilds the snapshot from the store (after a staff change).</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _reload.WaitAsync(cancellationToken);
        try
        {
            var active = (await _store.ListAsync(cancellationToken)).Where(s => s.Active).Select(s => s.Registration).ToList();
            var connectors = active.ToDictionary(r => r.Key, CreateOrExplain, StringComparer.Ordinal);
            _snapshot = new Snapshot(
                [.. active.Select(r => new DataSourceDescriptor(r.Key, r.DisplayName, r.Access == "read" ? SourceAccess.Read : SourceAccess.ReadWrite, r.Region))],
                connectors);
        }
        finally
        {
            _reload.Release();
        }
    }

    public void Dispose()
    {
        foreach (var database in _databases.Values)
        {
            database.Dispose();
        }

        _reload.Dispose();
    }

    // One source that cannot be set up must not take the others down: it fails its calls with the reason.
    private IDataSourceConnector CreateOrExplain(SourceRegistration r)
    {
        try
        {
            return Create(r);
        }
        catch (InvalidOperationException ex)
        {
            return new UnavailableConnector(ex.Message);
        }
    }

    private IDataSourceConnector Create(SourceRegistration r) => r.ConnectorType switch
    {
        "demo-crm" => new DemoCrmConnector(Database(Path.Combine(_dataDirectory, "demo", r.Key + ".db"))),
        "sqlite" => new SqliteSourceConnector(Database(SqlitePath(r)), r, _maskKey.Value, _time),
        "manual" => new ManualSourceConnector(r.Connection["owner"], r.DisplayName),
        "http" => new HttpSourceConnector(_http.CreateClient("connectors"), new Uri(r.Connection["baseUrl"].TrimEnd('/') + "/"), Secret(r.Connection["secret"]), _time),
        _ => throw new InvalidOperationException($"Unknown connector type '{r.ConnectorType}'."),
    };

    /// <summary>
    /// Resolves a secret reference. <c>env:NAME</c> reads an environment variable (in Azure, an app
    /// setting that is itself a Key Vault reference); <c>keyvault:</c> needs the Azure adapters (issue 8).
    /// </summary>
    private static byte[] Secret(string reference) =>
        reference.StartsWith("env:", StringComparison.Ordinal) && Environment.GetEnvironmentVariable(reference[4..]) is { Length: > 0 } value
            ? Encoding.UTF8.GetBytes(value)
            : throw new InvalidOperationException($"The secret {reference} could not be read (set the environment variable; keyvault: references arrive with the Azure adapters).");

    private string SqlitePath(SourceRegistration r)
    {
        var relative = r.Connection.GetValueOrDefault("path") ?? throw new InvalidOperationException($"Source '{r.Key}' needs connection.path.");
        var path = Path.GetFullPath(Path.Combine(_dataDirectory, relative));
        if (DemoSources.IsDemo(r))
        {
            DemoSources.Ensure(relative, path);
        }

        return path;
    }

    // One database object per file, shared by every snapshot, so the single-writer rule holds across reloads.
    private SqliteDatabase Database(string path)
    {
        lock (_databases)
        {
            if (!_databases.TryGetValue(path, out var database))
            {
                database = new SqliteDatabase(path);
                _databases[path] = database;
            }

            return database;
        }
    }

    private sealed record Snapshot(IReadOnlyList<DataSourceDescriptor> Sources, IReadOnlyDictionary<string, IDataSourceConnector> Connectors);
}
