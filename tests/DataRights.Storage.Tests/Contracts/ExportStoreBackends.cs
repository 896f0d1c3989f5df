using DataRights.Core.Ports;
using DataRights.Storage.Tests.Infrastructure;
using DataRights.Testing;

namespace DataRights.Storage.Tests.Contracts;

// The export store contract against the in-memory fake and Azure Blob storage (Azurite).

public sealed class InMemoryExportStoreContractTests : ExportStoreContract
{
    protected override Task<IExportStore> CreateStoreAsync() => Task.FromResult<IExportStore>(new InMemoryExportStore());
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobExportStoreContractTests(AzuriteFixture azurite) : ExportStoreContract
{
    protected override async Task<IExportStore> CreateStoreAsync() => await azurite.NewExportStoreAsync(BlockSize, ListPageSize);
}
