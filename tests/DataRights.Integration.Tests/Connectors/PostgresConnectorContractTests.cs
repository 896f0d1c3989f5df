using DataRights.Core.Sources;
using DataRights.Integration.Tests.Connectors.Postgres;

namespace DataRights.Integration.Tests.Connectors;

/// <summary>The connector contract on a real PostgreSQL server, through the <c>postgres</c> connector type.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresConnectorContractTests(PostgresFixture postgres) : ConnectorContract, IAsyncDisposable
{
    private readonly List<PostgresDemoSource> _sources = [];

    protected override SubjectIdentity Known { get; } = PostgresDemo.Person(8);

    public async ValueTask DisposeAsync()
    {
        foreach (var source in _sources)
        {
            await source.DisposeAsync();
        }
    }

    protected override async Task<(IDataSourceConnector, IReadOnlyList<string>)> CreateAsync()
    {
        var source = await PostgresDemo.CreateAsync(postgres.Server);
        _sources.Add(source);
        return (source.Connector, ["billing.invoice"]);
    }
}
