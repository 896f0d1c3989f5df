using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Host.Hosting;
using DataRights.Host.Links;
using DataRights.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Sources;

/// <summary>
/// The registered sources and their connectors, from configuration (validated strictly at start);
/// the demo CRM and billing databases when none is configured.
/// </summary>
public sealed class ConfiguredSourceRegistry : IDataSourceRegistry, IDisposable
{
    public static readonly IReadOnlyList<string> ConnectorTypes = ["demo-crm", "sqlite"];

    private readonly List<DataSourceDescriptor> _sources = [];
    private readonly Dictionary<string, IDataSourceConnector> _connectors = new(StringComparer.Ordinal);
    private readonly List<SqliteDatabase> _databases = [];

    public ConfiguredSourceRegistry(IOptions<SourcesOptions> options, IOptions<DataRightsOptions> dataRights, TimeProvider time)
    {
        var dataDirectory = Path.GetFullPath(dataRights.Value.DataDirectory);
        var demo = options.Value.Registered.Count == 0;
        var registrations = demo ? DemoSources.Registrations : options.Value.Registered;
        var problems = registrations
            .SelectMany((r, i) => SourceRegistrationValidator.Validate(r, ConnectorTypes).Select(e => $"DataRights:Sources:Registered:{i} ({r.Key}): {e.Key}: {string.Join(" ", e.Value)}"))
            .ToList();
        if (registrations.Select(r => r.Key).Distinct(StringComparer.Ordinal).Count() != registrations.Count)
        {
            problems.Add("DataRights:Sources:Registered: two sources have the same key.");
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException(SourcesOptions.Section, typeof(SourcesOptions), problems);
        }

        var maskKey = KeyFiles.LoadOrCreate(dataDirectory, "mask.key");
        foreach (var r in registrations)
        {
            _sources.Add(new DataSourceDescriptor(r.Key, r.DisplayName, r.Access == "read" ? SourceAccess.Read : SourceAccess.ReadWrite, r.Region));
            _connectors[r.Key] = r.ConnectorType switch
            {
                "demo-crm" => new DemoCrmConnector(Track(new SqliteDatabase(Path.Combine(dataDirectory, "demo", r.Key + ".db")))),
                "sqlite" => new SqliteSourceConnector(Track(new SqliteDatabase(SqlitePath(dataDirectory, r, demo))), r, maskKey, time),
                _ => throw new InvalidOperationException($"Unknown connector type '{r.ConnectorType}'."),
            };
        }
    }

    public IReadOnlyList<DataSourceDescriptor> ActiveSources() => _sources;

    public IDataSourceConnector? Connector(string sourceKey) => _connectors.GetValueOrDefault(sourceKey);

    public void Dispose()
    {
        foreach (var database in _databases)
        {
            database.Dispose();
        }
    }

    private static string SqlitePath(string dataDirectory, SourceRegistration r, bool demo)
    {
        var path = Path.GetFullPath(Path.Combine(dataDirectory, r.Connection.GetValueOrDefault("path") ?? throw new InvalidOperationException($"Source '{r.Key}' needs connection.path.")));
        if (demo)
        {
            DemoSources.EnsureBilling(path);
        }

        return path;
    }

    private SqliteDatabase Track(SqliteDatabase database)
    {
        _databases.Add(database);
        return database;
    }
}
