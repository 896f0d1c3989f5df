using DataRights.Core.Sources;
using DataRights.Host.Sources;
using DataRights.Host.Sources.Sqlite;
using DataRights.Testing;

namespace DataRights.Integration.Tests.Connectors;

public sealed class InMemoryConnectorContractTests : ConnectorContract
{
    protected override SubjectIdentity Known { get; } = new("kim@example.com", "Kim Lee", null);

    protected override Task<(IDataSourceConnector, IReadOnlyList<string>)> CreateAsync()
    {
        var source = new InMemoryDataSource("fake", "Fake");
        source.Add("kim@example.com", 4);
        source.Add("other@example.com", 2);
        source.AddDated(new DateOnly(2020, 1, 1), 120);
        source.AddDated(new DateOnly(2026, 1, 1), 5);
        return Task.FromResult<(IDataSourceConnector, IReadOnlyList<string>)>((source, []));
    }

    protected override (string Category, DateOnly Cutoff)? Purgeable => ("contact.email", new DateOnly(2021, 1, 1));
}

public sealed class DemoCrmConnectorContractTests : ConnectorContract, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("contract-crm-").FullName;
    private readonly SqliteDatabase _database;

    public DemoCrmConnectorContractTests() => _database = new SqliteDatabase(Path.Combine(_folder, "crm.db"));

    protected override SubjectIdentity Known { get; } = Person(7);

    public void Dispose()
    {
        _database.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    protected override Task<(IDataSourceConnector, IReadOnlyList<string>)> CreateAsync() =>
        Task.FromResult<(IDataSourceConnector, IReadOnlyList<string>)>((new DemoCrmConnector(_database), []));

    internal static SubjectIdentity Person(int n)
    {
        var (name, email, account) = DemoCrmConnector.Person(n);
        return new SubjectIdentity(email, name, account);
    }
}

public sealed class SqliteConnectorContractTests : ConnectorContract, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("contract-sql-").FullName;
    private readonly SqliteDatabase _database;

    public SqliteConnectorContractTests()
    {
        var path = Path.Combine(_folder, "billing.db");
        DemoSources.EnsureBilling(path, new DateOnly(2026, 11, 2));
        _database = new SqliteDatabase(path);
    }

    protected override SubjectIdentity Known { get; } = DemoCrmConnectorContractTests.Person(8);

    public void Dispose()
    {
        _database.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    protected override Task<(IDataSourceConnector, IReadOnlyList<string>)> CreateAsync() =>
        Task.FromResult<(IDataSourceConnector, IReadOnlyList<string>)>(
            (new SqliteSourceConnector(_database, DemoSources.Registrations[1], new byte[32], TimeProvider.System), ["billing.invoice"]));

    // The demo invoices are dated 2025 and 2026: all are before 2030.
    protected override (string Category, DateOnly Cutoff)? Purgeable => ("billing.invoice", new DateOnly(2030, 1, 1));
}
