using DataRights.Storage.AzureTables;
using DataRights.Storage.AzureTables.Blobs;
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

    /// <summary>A container name of its own on Azurite's Blob service, so every test starts empty.</summary>
    public static string NewContainer() =>
        "exports-" + Interlocked.Increment(ref _stores).ToString(System.Globalization.CultureInfo.InvariantCulture) + "x" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A Blob export store on Azurite with a container of its own (created), small blocks and pages if asked.</summary>
    public async Task<AzureBlobExportStore> NewExportStoreAsync(int? blockSize = null, int? listPageSize = null)
    {
        var connection = AzureBlobConnection.ForAzurite(Server.BlobPort, NewContainer());
        connection = connection with { BlockSize = blockSize ?? connection.BlockSize, ListPageSize = listPageSize ?? connection.ListPageSize };
        var store = new AzureBlobExportStore(connection);
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }

    public async Task<AzureTableStore> NewStoreAsync(TimeProvider? time = null)
    {
        var store = new AzureTableStore(NewConnection(), time);
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }

    /// <summary>Settings that run the program on this Azurite: tables and an export container of its own, and the keys every instance shares.</summary>
    public Dictionary<string, string?> HostSettings()
    {
        var settings = DataRights.Testing.SharedTestKeys.Settings();
        settings["DataRights:Storage:TableEndpoint"] = Server.TableEndpoint.ToString();
        settings["DataRights:Storage:BlobEndpoint"] = Server.BlobEndpoint.ToString();
        settings["DataRights:Storage:ExportContainer"] = NewContainer();
        settings["DataRights:Storage:AccountKey"] = AzureTableConnection.DevelopmentAccountKey;
        settings["DataRights:Storage:TablePrefix"] = NewConnection().TablePrefix;
        return settings;
    }

    /// <summary>
    /// <see cref="HostSettings"/> with the Functions host's own account (on Azure the same one) for what lives there: the
    /// submission queue, named for this host.
    /// </summary>
    public Dictionary<string, string?> HostSettingsWithQueue()
    {
        var settings = HostSettings();
        settings["AzureWebJobsStorage"] = Server.ConnectionString;
        settings["DataRights:Durable:SubmissionQueue"] = "submissions-" + settings["DataRights:Storage:TablePrefix"]!.ToLowerInvariant();
        return settings;
    }

    public async Task<StoreSet> CreateAsync()
    {
        var store = await NewStoreAsync();
        return new StoreSet(
            new AzureTableRequestStore(store),
            new AzureTableSourceRegistrationStore(store),
            new AzureTableLegalHoldStore(store),
            new AzureTableJobRunStore(store),
            new AzureTableSuppressionList(store),
            new AzureTableRetentionPolicyStore(store),
            new AzureTablePurgeStore(store),
            new AzureTableFollowUpErasureStore(store),
            store,
            () => ValueTask.CompletedTask);
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
