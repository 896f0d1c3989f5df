using System.Text;
using DataRights.Core.Agents;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Core.Workflow;
using DataRights.Host.Hosting;
using DataRights.Host.Links;
using Azure.Identity;
using DataRights.Storage.AzureTables;
using DataRights.Storage.AzureTables.Sources;
using DataRights.Host.Sources.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DataRights.Host.Sources;

/// <summary>
/// The registered sources and their connectors. Registrations live in the store; configuration seeds
/// them at start (validated strictly; the demo CRM and billing on a first run without any), and the
/// staff API changes them at run time. Requests fan out to a snapshot of the active ones.
/// </summary>
public sealed class SourceRegistry : IDataSourceRegistry, IDisposable
{
    public static readonly IReadOnlyList<string> ConnectorTypes =
        ["demo-crm", "sqlite", "postgres", "manual", "http", SourceRegistrationValidator.AzureTableType, SourceRegistrationValidator.AgentType];

    private readonly ISourceRegistrationStore _store;
    private readonly TimeProvider _time;
    private readonly string _dataDirectory;
    private readonly Lazy<byte[]> _maskKey;
    private readonly Dictionary<string, SqliteDatabase> _databases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NpgsqlDataSource> _postgres = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile Snapshot _snapshot = new([], new Dictionary<string, IDataSourceConnector>());

    private readonly IHttpClientFactory _http;
    private readonly IAgentCommandQueue _agents;
    private readonly AgentWaitedAnswers _waitedAnswers;

    private readonly KeyVaultSecrets _vault;
    private readonly SourceRules _rules;
    private readonly ILoggerFactory _logs;
    private readonly string? _postgresRootCertificate;
    private IReadOnlyDictionary<string, string> _secrets = new Dictionary<string, string>();

    public SourceRegistry(
        ISourceRegistrationStore store, IOptions<DataRightsOptions> dataRights, IOptions<SourcesOptions> sources, TimeProvider time, IHttpClientFactory http,
        KeyVaultSecrets vault, SourceRules rules, ILoggerFactory logs, IAgentCommandQueue agents, AgentWaitedAnswers waitedAnswers)
    {
        _agents = agents;
        _waitedAnswers = waitedAnswers;
        _vault = vault;
        _rules = rules;
        _logs = logs;
        _postgresRootCertificate = sources.Value.PostgresRootCertificate;
        _http = http;
        _store = store;
        _time = time;
        _dataDirectory = Path.GetFullPath(dataRights.Value.DataDirectory);
        var maskKey = dataRights.Value.MaskKey;
        _maskKey = new Lazy<byte[]>(() => KeyFiles.FromReferenceOrFile(
            maskKey, _dataDirectory, "mask.key", length => length >= 32, "DataRights:MaskKey must hold at least 32 bytes, base64-encoded."));
    }

    public IReadOnlyList<DataSourceDescriptor> ActiveSources() => _snapshot.Sources;

    public IDataSourceConnector? Connector(string sourceKey) => _snapshot.Connectors.GetValueOrDefault(sourceKey);

    /// <summary>Throws naming every problem (path and message) when any registration is invalid, by the core rules and where it points.</summary>
    public async Task EnsureValidAsync(IReadOnlyList<SourceRegistration> registrations, string prefix, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        for (var i = 0; i < registrations.Count; i++)
        {
            var r = registrations[i];
            problems.AddRange((await _rules.ValidateAsync(r, cancellationToken)).Select(e => $"{prefix}:{i} ({r.Key}): {e.Key}: {string.Join(" ", e.Value)}"));
        }

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
        await EnsureValidAsync(configured, "DataRights:Sources:Registered", cancellationToken);
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
            // Only references the rules allow are ever fetched.
            _secrets = await _vault.LoadAsync(
                active.SelectMany(r => r.SecretSettings.Select(r.Connection.GetValueOrDefault)).Where(reference => _rules.Secrets.Problem(reference) is null), cancellationToken);
            var connectors = active.ToDictionary(r => r.Key, CreateOrExplain, StringComparer.Ordinal);
            _snapshot = new Snapshot(
                [.. active.Select(r => new DataSourceDescriptor(r.Key, r.DisplayName, r.Access == "read" ? SourceAccess.Read : SourceAccess.ReadWrite, r.Region, r.Recipients.Count > 0)
                {
                    CategoryNames = r.Categories.GroupBy(c => c.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => CategoryNames.Of(g.First()), StringComparer.Ordinal),
                })],
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

        foreach (var dataSource in _postgres.Values)
        {
            dataSource.Dispose();
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
        "demo-crm" => new DemoCrmConnector(Database(DemoSources.CreateOwnerOnly(Path.Combine(_rules.Folder, r.Key + ".db")))),
        "sqlite" => new SqliteSourceConnector(Database(SqlitePath(r)), r, _maskKey.Value, _time, _logs.CreateLogger<SqliteSourceConnector>()),
        "postgres" => new PostgresSourceConnector(
            Postgres(PostgresSourceConnector.ConnectionString(r, _rules.Secret(r, "password", _secrets), _postgresRootCertificate)), r, _maskKey.Value, _time, _logs.CreateLogger<PostgresSourceConnector>()),
        "manual" => new ManualSourceConnector(r.Connection["owner"], r.DisplayName),
        SourceRegistrationValidator.AzureTableType => new AzureTableSourceConnector(new AzureTableSourceClient(TableConnection(r)), r, _maskKey.Value, _time),
        "http" => new HttpSourceConnector(
            _http.CreateClient("connectors"), new Uri(r.Connection["baseUrl"].TrimEnd('/') + "/"), Encoding.UTF8.GetBytes(_rules.Secret(r, "secret", _secrets)), _time,
            _logs.CreateLogger<HttpSourceConnector>(), r.Key),
        SourceRegistrationValidator.AgentType => new AgentSourceConnector(
            _agents, _waitedAnswers, r, Encoding.UTF8.GetBytes(_rules.Secret(r, "secret", _secrets)), _time, _logs.CreateLogger<AgentSourceConnector>()),
        _ => throw new InvalidOperationException($"Unknown connector type '{r.ConnectorType}'."),
    };

    // The account key from its reference, or the app's managed identity (user-assigned when a client id is given).
    private AzureTableConnection TableConnection(SourceRegistration r)
    {
        var endpoint = new Uri(r.Connection["tableEndpoint"]);
        var accountName = r.Connection.GetValueOrDefault("accountName");
        if (bool.TryParse(r.Connection.GetValueOrDefault("useManagedIdentity"), out var managed) && managed)
        {
            var clientId = r.Connection.GetValueOrDefault("managedIdentityClientId");
            return AzureTableConnection.WithCredential(endpoint, accountName, new ManagedIdentityCredential(string.IsNullOrWhiteSpace(clientId)
                ? ManagedIdentityId.SystemAssigned
                : ManagedIdentityId.FromUserAssignedClientId(clientId)));
        }

        try
        {
            return AzureTableConnection.WithAccountKey(endpoint, accountName, _rules.Secret(r, "accountKey", _secrets));
        }
        catch (ArgumentException)
        {
            throw new InvalidOperationException($"The account key of source '{r.Key}' is not a storage account key (base64); check the secret connection.accountKey refers to.");
        }
    }

    // Confined to the sources folder again here, whatever the store holds.
    private string SqlitePath(SourceRegistration r)
    {
        var relative = r.Connection.GetValueOrDefault("path");
        var path = _rules.SqlitePath(relative);
        if (DemoSources.IsDemo(r))
        {
            DemoSources.Ensure(relative!, path, DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime));
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

    // One pool per connection string, shared by every snapshot and closed with the registry.
    private NpgsqlDataSource Postgres(string connectionString)
    {
        lock (_postgres)
        {
            if (!_postgres.TryGetValue(connectionString, out var dataSource))
            {
                dataSource = NpgsqlDataSource.Create(connectionString);
                _postgres[connectionString] = dataSource;
            }

            return dataSource;
        }
    }

    private sealed record Snapshot(IReadOnlyList<DataSourceDescriptor> Sources, IReadOnlyDictionary<string, IDataSourceConnector> Connectors);
}
