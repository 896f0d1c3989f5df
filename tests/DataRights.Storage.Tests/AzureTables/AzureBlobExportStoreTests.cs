using System.Security.Cryptography;
using DataRights.Storage.AzureTables;
using DataRights.Storage.AzureTables.Blobs;
using DataRights.Storage.Tests.Infrastructure;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>The Blob adapter's own concerns on Azurite: Shared Key signing (a wrong key is refused, clearly) and the container's creation.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobExportStoreTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task WrongAccountKey_IsRefused_WithAnErrorNamingTheSetting()
    {
        var connection = AzureBlobConnection.WithAccountKey(
            azurite.Server.BlobEndpoint, AzureTableConnection.DevelopmentAccountName, Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)), AzuriteFixture.NewContainer());
        var store = new AzureBlobExportStore(connection with { MaxRetries = 0 });

        var error = await Assert.ThrowsAsync<BlobStorageException>(() => store.InitializeAsync(CancellationToken.None));

        Assert.Equal(403, error.Status);
        Assert.Contains("Blob storage refused to create container", error.Message, StringComparison.Ordinal);
        Assert.Contains("DataRights:Storage:AccountKey", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<BlobStorageException>(() => store.ExistsAsync("dr_1", "crm.part", CancellationToken.None));
    }

    [Fact]
    public async Task RightKey_SignsEveryCall_IncludingQueriesWithSeveralParameters()
    {
        // Put Block (comp, blockid), Put Block List, List Blobs (restype, comp, prefix, maxresults, marker) all need the full canonical resource.
        var store = await azurite.NewExportStoreAsync(blockSize: 10, listPageSize: 1);
        for (var i = 0; i < 3; i++)
        {
            await using var upload = await store.CreateAsync("dr_signed", $"s{i}.part", CancellationToken.None);
            await upload.Stream.WriteAsync(RandomNumberGenerator.GetBytes(25));
            Assert.Equal(25, await upload.CommitAsync(CancellationToken.None));
        }

        Assert.Equal(3, await store.DeleteAllAsync("dr_signed", CancellationToken.None));
    }

    [Fact]
    public async Task Initialize_Twice_IsFine_AndAnotherInstanceSeesTheSameObjects()
    {
        var store = await azurite.NewExportStoreAsync();
        await store.InitializeAsync(CancellationToken.None);
        await using (var upload = await store.CreateAsync("dr_shared", "package.zip.sealed", CancellationToken.None))
        {
            await upload.Stream.WriteAsync(new byte[] { 7, 8, 9 });
            await upload.CommitAsync(CancellationToken.None);
        }

        // A second instance (scale-out) with its own pipeline serves what the first one wrote.
        var other = new AzureBlobExportStore(store.Connection);
        await other.InitializeAsync(CancellationToken.None);
        await using var read = await other.OpenReadAsync("dr_shared", "package.zip.sealed", CancellationToken.None);
        using var copy = new MemoryStream();
        await read!.CopyToAsync(copy);
        Assert.Equal(new byte[] { 7, 8, 9 }, copy.ToArray());
    }

    [Fact]
    public void Connection_RefusesBadContainerNamesAndBearerTokensOverHttp()
    {
        Assert.Throws<ArgumentException>(() => AzureBlobConnection.ForAzurite(10000, "Exports"));
        Assert.Throws<ArgumentException>(() => AzureBlobConnection.ForAzurite(10000, "a--b"));
        Assert.Throws<ArgumentException>(() => AzureBlobConnection.ForAzurite(10000, "ab"));
        Assert.Throws<ArgumentException>(() => AzureBlobConnection.WithCredential(azurite.Server.BlobEndpoint, null, new Azure.Identity.ManagedIdentityCredential(Azure.Identity.ManagedIdentityId.SystemAssigned)));
        Assert.Equal("devstoreaccount1", AzureBlobConnection.ForAzurite(10000, "datarights-exports").AccountName);
        Assert.Equal("contoso", AzureBlobConnection.WithAccountKey(new Uri("https://contoso.blob.core.windows.net"), null, AzureTableConnection.DevelopmentAccountKey).AccountName);
    }
}
