using DataRights.Core.Requests;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Connectors.Postgres;
using Npgsql;

namespace DataRights.Integration.Tests.Connectors;

/// <summary>The <c>postgres</c> connector on a real server: export, rectification, restriction, and values that are only ever bound.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresConnectorTests(PostgresFixture postgres) : IAsyncDisposable
{
    private const string Hostile = "x'; DROP TABLE invoices; --@example.com";
    private readonly List<PostgresDemoSource> _sources = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var source in _sources)
        {
            await source.DisposeAsync();
        }
    }

    [Fact]
    public void Registration_OfTheTestSource_IsValid()
    {
        var registration = PostgresDemo.Registration(5432, "billing");

        Assert.Empty(SourceRegistrationValidator.Validate(registration, SourceRegistry.ConnectorTypes));
    }

    [Fact]
    public async Task Export_KnownPerson_StreamsEachCategoryWithPortableValues()
    {
        var source = await CreateAsync();
        var sink = new RecordingSink();

        var outcome = await source.Connector.ExportAsync(SourceCall.For(PostgresDemo.Person(3)), sink, CancellationToken.None);

        Assert.Equal(5, outcome.Exported);
        Assert.Equal(["billing.invoice", "billing.payment_card", "contact.email", "marketing.subscription"], sink.Tables.Select(t => t.Category));
        var invoices = sink.Tables[0];
        Assert.Equal(["invoice_number", "issued_on", "amount_pence"], invoices.Columns);
        Assert.Equal(["2025-03-01", "2025-04-01"], invoices.Rows.Select(r => r[1]));
        Assert.Equal(PostgresDemo.Person(3).Email, sink.Tables[2].Rows.Single()[1]);
        Assert.Equal("2025-02-01T09:30:00Z", sink.Tables[3].Rows.Single()[1]);
        Assert.True(sink.Tables[3].Provided);
    }

    [Fact]
    public async Task Rectify_Name_ChangesOnlyThatPersonsAccount()
    {
        var source = await CreateAsync();
        var person = PostgresDemo.Person(4);

        var outcome = await source.Connector.ExecuteAsync(SourceCall.For(person), RequestType.Rectification,
            new ActionInstructions { Corrections = [new Correction("name", "Corrected Name"), new Correction("phone", "+44 7700 900000")] }, CancellationToken.None);

        Assert.Equal(1, outcome.Corrected);
        Assert.Contains("phone", outcome.Note, StringComparison.Ordinal);
        Assert.Equal("Corrected Name", await source.Data.ScalarAsync<string>("SELECT full_name FROM accounts WHERE email = $1", person.Email));
        Assert.Equal(PostgresDemo.Person(5).FullName, await source.Data.ScalarAsync<string>("SELECT full_name FROM accounts WHERE email = $1", PostgresDemo.Person(5).Email));
    }

    [Fact]
    public async Task Restrict_ThenLift_MarksAndReleasesTheSubscription()
    {
        var source = await CreateAsync();
        var person = PostgresDemo.Person(6);

        var restricted = await source.Connector.ExecuteAsync(SourceCall.For(person), RequestType.Restriction, null, CancellationToken.None);
        var marked = await source.Data.ScalarAsync<bool>("SELECT restricted FROM subscribers WHERE email = $1", person.Email);
        var lifted = await source.Connector.ExecuteAsync(SourceCall.For(person), RequestType.Restriction, new ActionInstructions { LiftRestriction = true }, CancellationToken.None);

        Assert.Equal(1, restricted.Restricted);
        Assert.True(marked);
        Assert.Equal(1, lifted.Restricted);
        Assert.False(await source.Data.ScalarAsync<bool>("SELECT restricted FROM subscribers WHERE email = $1", person.Email));
        Assert.Equal(0L, await source.Data.ScalarAsync<long>("SELECT count(*) FROM subscribers WHERE restricted"));
    }

    [Fact]
    public async Task Erase_HostileEmail_IsBoundAsAValueNotExecuted()
    {
        var hostile = new SubjectIdentity(Hostile, "Robert'); DROP TABLE accounts; --", null);
        var source = await CreateAsync(hostile);
        var invoicesBefore = await source.Data.ScalarAsync<long>("SELECT count(*) FROM invoices");

        var found = await source.Connector.DiscoverAsync(SourceCall.For(hostile), CancellationToken.None);
        var erased = await source.Connector.ExecuteAsync(SourceCall.For(hostile), RequestType.Erasure, null, CancellationToken.None);
        var renamed = await source.Connector.ExecuteAsync(SourceCall.For(PostgresDemo.Person(2)), RequestType.Rectification,
            new ActionInstructions { Corrections = [new Correction("name", "'); DELETE FROM accounts; --")] }, CancellationToken.None);

        Assert.Equal(5, found.RecordCount);
        Assert.Equal(2, erased.Erased);
        Assert.Equal(1, erased.Masked);
        Assert.Equal(invoicesBefore, await source.Data.ScalarAsync<long>("SELECT count(*) FROM invoices"));
        Assert.Equal(PostgresDemo.People + 1L, await source.Data.ScalarAsync<long>("SELECT count(*) FROM accounts"));
        Assert.Equal(1, renamed.Corrected);
        Assert.Equal("'); DELETE FROM accounts; --", await source.Data.ScalarAsync<string>("SELECT full_name FROM accounts WHERE email = $1", PostgresDemo.Person(2).Email));
    }

    [Fact]
    public async Task Test_WrongPassword_IsAnAuthenticationFailureWithoutTheServersText()
    {
        var source = await CreateAsync();
        var builder = new NpgsqlConnectionStringBuilder(postgres.Server.ConnectionString(source.Registration.Connection["database"])) { Password = "wrong", Pooling = false };
        await using var pool = NpgsqlDataSource.Create(builder.ConnectionString);
        var connector = new PostgresSourceConnector(pool, source.Registration, new byte[32], TimeProvider.System);

        var test = await connector.TestAsync(CancellationToken.None);

        Assert.False(test.Reachable);
        Assert.Equal("authentication", test.Error);
        Assert.DoesNotContain("password", test.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Test_DiscoverQueryOnAMissingTable_IsADatabaseFailureWithoutTheServersText()
    {
        var source = await CreateAsync();
        await using (var drop = source.Data.CreateCommand("DROP TABLE payment_cards"))
        {
            await drop.ExecuteNonQueryAsync();
        }

        var test = await source.Connector.TestAsync(CancellationToken.None);

        Assert.False(test.Reachable);
        Assert.Equal("database", test.Error);
        Assert.DoesNotContain("payment_cards", test.Detail, StringComparison.Ordinal);
    }

    private async Task<PostgresDemoSource> CreateAsync(params SubjectIdentity[] extraPeople)
    {
        var source = await PostgresDemo.CreateAsync(postgres.Server, extraPeople);
        _sources.Add(source);
        return source;
    }

    private sealed class RecordingSink : IExportSink
    {
        public List<(string Category, IReadOnlyList<string> Columns, bool Provided, List<IReadOnlyList<object?>> Rows)> Tables { get; } = [];

        public ValueTask BeginTableAsync(string category, string table, IReadOnlyList<string> columns, bool providedByPerson, CancellationToken cancellationToken)
        {
            Tables.Add((category, columns, providedByPerson, []));
            return ValueTask.CompletedTask;
        }

        public ValueTask WriteRowAsync(IReadOnlyList<object?> values, CancellationToken cancellationToken)
        {
            Tables[^1].Rows.Add([.. values]);
            return ValueTask.CompletedTask;
        }
    }
}
