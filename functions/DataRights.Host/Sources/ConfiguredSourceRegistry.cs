using DataRights.Core.Sources;
using DataRights.Host.Hosting;
using DataRights.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Sources;

/// <summary>The sources from configuration, each with its connector; the demo CRM when none is configured.</summary>
public sealed class ConfiguredSourceRegistry : IDataSourceRegistry, IDisposable
{
    private readonly List<DataSourceDescriptor> _sources = [];
    private readonly Dictionary<string, IDataSourceConnector> _connectors = new(StringComparer.Ordinal);
    private readonly List<SqliteDatabase> _databases = [];

    public ConfiguredSourceRegistry(IOptions<SourcesOptions> options, IOptions<DataRightsOptions> dataRights)
    {
        var registered = options.Value.Registered.Count > 0
            ? options.Value.Registered
            : [new SourceRegistration { Key = "crm", DisplayName = "Customer records (CRM)", Type = "demo-crm", Access = "read-write", Region = "eu-west" }];
        foreach (var r in registered)
        {
            _sources.Add(new DataSourceDescriptor(r.Key, r.DisplayName, r.Access == "read" ? SourceAccess.Read : SourceAccess.ReadWrite, r.Region));
            _connectors[r.Key] = r.Type switch
            {
                "demo-crm" => new DemoCrmConnector(Track(new SqliteDatabase(Path.Combine(Path.GetFullPath(dataRights.Value.DataDirectory), "demo", r.Key + ".db")))),
                _ => throw new InvalidOperationException($"DataRights:Sources: source '{r.Key}' has an unknown connector type '{r.Type}'."),
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

    private SqliteDatabase Track(SqliteDatabase database)
    {
        _databases.Add(database);
        return database;
    }
}
