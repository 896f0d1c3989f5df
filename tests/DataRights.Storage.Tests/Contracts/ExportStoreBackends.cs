using DataRights.Core.Ports;
using DataRights.Host.Exports;
using DataRights.Storage.Tests.Infrastructure;
using DataRights.Testing;

namespace DataRights.Storage.Tests.Contracts;

// The export store contract against the in-memory fake, the data folder (a temp folder) and Azure Blob storage (Azurite).

public sealed class InMemoryExportStoreContractTests : ExportStoreContract
{
    protected override Task<IExportStore> CreateStoreAsync() => Task.FromResult<IExportStore>(new InMemoryExportStore());
}

public sealed class FileExportStoreContractTests : ExportStoreContract
{
    private readonly List<string> _folders = [];

    protected override Task<IExportStore> CreateStoreAsync()
    {
        var folder = Directory.CreateTempSubdirectory("exports-").FullName;
        _folders.Add(folder);
        return Task.FromResult<IExportStore>(new FileExportStore(folder));
    }

    [Fact]
    public async Task Folders_AreOwnerOnly_AndNoTemporaryFileIsLeft()
    {
        var store = (FileExportStore)await CreateStoreAsync();
        await using (var upload = await store.CreateAsync("dr_1", "crm.part", CancellationToken.None))
        {
            await upload.Stream.WriteAsync(new byte[] { 1, 2, 3 });
            await upload.CommitAsync(CancellationToken.None);
        }

        await using (var abandoned = await store.CreateAsync("dr_1", "billing.part", CancellationToken.None))
        {
            await abandoned.Stream.WriteAsync(new byte[] { 4 });
        }

        Assert.Equal(["crm.part"], Directory.GetFiles(Path.Combine(store.Root, "dr_1")).Select(Path.GetFileName));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(store.Root, "dr_1")));
        }
    }

    protected override void Dispose(bool disposing)
    {
        foreach (var folder in _folders)
        {
            Directory.Delete(folder, recursive: true);
        }

        base.Dispose(disposing);
    }
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobExportStoreContractTests(AzuriteFixture azurite) : ExportStoreContract
{
    protected override async Task<IExportStore> CreateStoreAsync() => await azurite.NewExportStoreAsync(BlockSize, ListPageSize);
}
