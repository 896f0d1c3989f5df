using DataRights.Storage.AzureTables;
using DataRights.Testing.Azurite;

namespace DataRights.Storage.Tests.Infrastructure;

/// <summary>
/// One Azurite for every Table storage test, started before the first and killed after the last. If it
/// cannot start, every test of the collection fails with the reason: none is skipped.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private static int _stores;
    private AzuriteServer? _server;

    public AzuriteServer Server => _server ?? throw new InvalidOperationException("Azurite has not started.");

    public async Task InitializeAsync() => _server = await AzuriteServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A connection to Azurite with table names of its own, so every test starts empty.</summary>
    public AzureTableConnection NewConnection() =>
        AzureTableConnection.ForAzurite(Server.TablePort, "T" + Interlocked.Increment(ref _stores).ToString(System.Globalization.CultureInfo.InvariantCulture) + "x" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async Task<AzureTableStore> NewStoreAsync(TimeProvider? time = null)
    {
        var store = new AzureTableStore(NewConnection(), time);
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }

    public async Task<StoreSet> CreateAsync()
    {
        var store = await NewStoreAsync();
        return new StoreSet(
            new AzureTableRequestStore(store),
            new AzureTableWorkQueue(store),
            new AzureTableWorkOutbox(store),
            new AzureTableSourceRegistrationStore(store),
            new AzureTableLegalHoldStore(store),
            new AzureTableJobRunStore(store),
            new AzureTableSuppressionList(store),
            new AzureTableSourceLeaseStore(store),
            new AzureTableRetentionPolicyStore(store),
            new AzureTablePurgeStore(store),
            new AzureTableFollowUpErasureStore(store),
            () => ValueTask.CompletedTask);
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
