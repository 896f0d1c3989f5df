using DataRights.Storage.Tests.Infrastructure;

namespace DataRights.Storage.Tests.Contracts;

// Each contract runs against Azure Table storage (Azurite, one per test run).

[Collection(AzuriteCollection.Name)]
public sealed class AzureTableRequestStoreContractTests(AzuriteFixture azurite) : RequestStoreContract
{
    protected override Task<StoreSet> CreateStoresAsync() => azurite.CreateAsync();
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureTableSourceRegistrationStoreContractTests(AzuriteFixture azurite) : SourceRegistrationStoreContract
{
    protected override Task<StoreSet> CreateStoresAsync() => azurite.CreateAsync();
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureTableLegalHoldStoreContractTests(AzuriteFixture azurite) : LegalHoldStoreContract
{
    protected override Task<StoreSet> CreateStoresAsync() => azurite.CreateAsync();
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureTableJobRunStoreContractTests(AzuriteFixture azurite) : JobRunStoreContract
{
    protected override Task<StoreSet> CreateStoresAsync() => azurite.CreateAsync();
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureTableSuppressionListContractTests(AzuriteFixture azurite) : SuppressionListContract
{
    protected override Task<StoreSet> CreateStoresAsync() => azurite.CreateAsync();
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureTablePurgeStoreContractTests(AzuriteFixture azurite) : PurgeStoreContract
{
    protected override Task<StoreSet> CreateStoresAsync() => azurite.CreateAsync();
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureTableFollowUpErasureStoreContractTests(AzuriteFixture azurite) : FollowUpErasureStoreContract
{
    protected override Task<StoreSet> CreateStoresAsync() => azurite.CreateAsync();
}
