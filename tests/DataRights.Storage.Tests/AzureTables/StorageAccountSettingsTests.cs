using Azure.Data.Tables;
using Azure.Storage.Blobs;
using DataRights.Host.Storage;
using DataRights.Storage.AzureTables;
using DataRights.Storage.AzureTables.Blobs;
using DataRights.Storage.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>
/// The storage account's settings the way Azure Functions reads them: a connection string (AzureWebJobsStorage by
/// default, or the connection DataRights:Storage:Connection names), or identity-based service addresses; every
/// client comes from the one AddAzureClients registration, and missing or contradictory settings stop the start.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageAccountSettingsTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory]
    [InlineData(null)]
    [InlineData("DataRightsStorage")]
    public async Task AConnectionString_RunsTheTablesAndTheExportsOnThatAccount(string? connectionName)
    {
        var settings = ConnectionSettings();
        if (connectionName is not null)
        {
            settings["DataRights:Storage:Connection"] = connectionName;
        }

        settings[connectionName ?? "AzureWebJobsStorage"] = AzuriteConnectionString();
        using var services = Build(settings);

        var tables = services.GetRequiredService<AzureTableStore>();
        await tables.InitializeAsync(None);
        await tables.AddToKeyRingAsync("key-1", "sealed text", None);
        Assert.Equal(["sealed text"], await tables.ReadKeyRingAsync(None));
        Assert.Equal(azurite.Server.TableEndpoint, tables.Connection.Endpoint);

        var exports = services.GetRequiredService<AzureBlobExportStore>();
        await exports.InitializeAsync(None);
        await using (var upload = await exports.CreateAsync("dr_conn", "package.zip.sealed", None))
        {
            await upload.Stream.WriteAsync("whole"u8.ToArray());
            await upload.CommitAsync(None);
        }

        await using var read = await exports.OpenReadAsync("dr_conn", "package.zip.sealed", None);
        using var copy = new MemoryStream();
        await read!.CopyToAsync(copy);
        Assert.Equal("whole"u8.ToArray(), copy.ToArray());
        Assert.False(services.GetRequiredService<StorageAccount>().UsesIdentity);
    }

    [Fact]
    public void IdentityBasedServiceAddresses_GiveClientsForThoseAddresses_WithAManagedIdentity()
    {
        var settings = ConnectionSettings();
        settings["AzureWebJobsStorage:tableServiceUri"] = "https://contoso.table.core.windows.net";
        settings["AzureWebJobsStorage:blobServiceUri"] = "https://contoso.blob.core.windows.net";
        settings["AzureWebJobsStorage:credential"] = "managedidentity";
        settings["AzureWebJobsStorage:clientId"] = "6f1a3c52-0d7e-4c8b-9a51-2f0c1d3e4b5a";
        using var services = Build(settings);

        Assert.Equal(new Uri("https://contoso.table.core.windows.net/"), services.GetRequiredService<TableServiceClient>().Uri);
        Assert.Equal(new Uri("https://contoso.blob.core.windows.net/"), services.GetRequiredService<BlobServiceClient>().Uri);
        Assert.Equal("contoso", services.GetRequiredService<AzureTableStore>().Connection.AccountName);
        Assert.True(services.GetRequiredService<StorageAccount>().UsesIdentity);
    }

    [Fact]
    public void AnAccountName_GivesTheAccountsPublicAddresses()
    {
        var settings = ConnectionSettings();
        settings["AzureWebJobsStorage:accountName"] = "contoso";
        using var services = Build(settings);

        Assert.Equal(new Uri("https://contoso.table.core.windows.net/"), services.GetRequiredService<TableServiceClient>().Uri);
        Assert.Equal(new Uri("https://contoso.blob.core.windows.net/"), services.GetRequiredService<BlobServiceClient>().Uri);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage:tableServiceUri", "https://contoso.table.core.windows.net", "AzureWebJobsStorage is a connection string and AzureWebJobsStorage__tableServiceUri")]
    [InlineData("DataRights:Storage:TableEndpoint", "https://contoso.table.core.windows.net", "Set DataRights:Storage:Connection or DataRights:Storage:TableEndpoint")]
    [InlineData("AzureWebJobsStorage", null, "set the storage account: AzureWebJobsStorage (a connection string)")]
    [InlineData("AzureWebJobsStorage", "AccountName=devstoreaccount1;no key here", "AzureWebJobsStorage must be a storage account connection string")]
    [InlineData("DataRights:Storage:Connection", "Storage__Main", "DataRights:Storage:Connection must name a connection setting")]
    public void ContradictoryOrBrokenConnectionSettings_AreRefusedAtStart_NamingTheSetting(string key, string? value, string expected)
    {
        var settings = ConnectionSettings();
        settings["DataRights:Storage:Connection"] = "AzureWebJobsStorage";
        settings["AzureWebJobsStorage"] = AzuriteConnectionString();
        settings[key] = value;

        var error = Refused(settings);

        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain(AzureTableConnection.DevelopmentAccountKey, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage:tableServiceUri", "http://contoso.table.core.windows.net", "AzureWebJobsStorage__tableServiceUri must be the Table service address")]
    [InlineData("AzureWebJobsStorage:blobServiceUri", null, "AzureWebJobsStorage__blobServiceUri must be the Blob service address")]
    [InlineData("AzureWebJobsStorage:serviceUri", "https://contoso.blob.core.windows.net", "Set AzureWebJobsStorage__blobServiceUri or AzureWebJobsStorage__serviceUri")]
    [InlineData("AzureWebJobsStorage:accountName", "contoso", "Set AzureWebJobsStorage__accountName or the service addresses")]
    [InlineData("AzureWebJobsStorage:credential", "clientsecret", "AzureWebJobsStorage__credential must be 'managedidentity'")]
    [InlineData("AzureWebJobsStorage:clientId", "someone", "AzureWebJobsStorage__clientId must be the client id")]
    public void BrokenIdentityBasedSettings_AreRefusedAtStart_NamingTheSetting(string key, string? value, string expected)
    {
        var settings = ConnectionSettings();
        settings["AzureWebJobsStorage:tableServiceUri"] = "https://contoso.table.core.windows.net";
        settings["AzureWebJobsStorage:blobServiceUri"] = "https://contoso.blob.core.windows.net";
        settings[key] = value;

        Assert.Contains(expected, Refused(settings), StringComparison.Ordinal);
    }

    [Fact]
    public void ServiceUri_NamesTheBlobService_AsAzureFunctionsReadsIt()
    {
        var settings = ConnectionSettings();
        settings["AzureWebJobsStorage:tableServiceUri"] = "https://contoso.table.core.windows.net";
        settings["AzureWebJobsStorage:serviceUri"] = "https://contoso.blob.core.windows.net";
        using var services = Build(settings);

        Assert.Equal(new Uri("https://contoso.blob.core.windows.net/"), services.GetRequiredService<BlobServiceClient>().Uri);
        Assert.True(services.GetRequiredService<StorageAccount>().UsesIdentity);
    }

    /// <summary>The host's Azurite settings without the endpoint settings, so the account comes from a connection.</summary>
    private Dictionary<string, string?> ConnectionSettings()
    {
        var settings = azurite.HostSettings();
        settings.Remove("DataRights:Storage:TableEndpoint");
        settings.Remove("DataRights:Storage:BlobEndpoint");
        settings.Remove("DataRights:Storage:AccountKey");
        return settings;
    }

    private string AzuriteConnectionString() =>
        $"DefaultEndpointsProtocol=http;AccountName={AzureTableConnection.DevelopmentAccountName};AccountKey={AzureTableConnection.DevelopmentAccountKey};" +
        $"TableEndpoint={azurite.Server.TableEndpoint};BlobEndpoint={azurite.Server.BlobEndpoint}";

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(TimeProvider.System)
            .AddLogging()
            .AddDataRightsStorage(configuration)
            .BuildServiceProvider();
    }

    private static string Refused(Dictionary<string, string?> settings)
    {
        using var services = Build(settings);
        return Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StorageOptions>>().Value).Message;
    }
}
