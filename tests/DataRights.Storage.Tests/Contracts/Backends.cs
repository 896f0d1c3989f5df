using DataRights.Storage.Tests.Infrastructure;

namespace DataRights.Storage.Tests.Contracts;

// Each contract runs against SQLite (a temp file) and Azure Table storage (Azurite, one per test run).

public sealed class SqliteRequestStoreContractTests : RequestStoreContract
{
    protected override Task<StoreSet> CreateStoresAsync() => SqliteStores.CreateAsync();
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureTableRequestStoreContractTests(AzuriteFixture azurite) : RequestStoreContract
{
    protected override Task<StoreSet> CreateStoresAsync() => azurite.CreateAsync();
}

public sealed class SqliteWorkQueueContractTests : WorkQueueContract
{
    protected override Task<StoreSet> CreateStoresAsync() => SqliteStores.CreateAsync();
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureTableWorkQueueContractTests(AzuriteFixture azurite) : WorkQueueContract
{
    protected override Task<StoreSet> CreateStoresAsync() => azurite.CreateAsync();
}

public sealed class SqliteWorkOutboxContractTests : WorkOutboxContract
{
    protected override Task<StoreSet> CreateStoresAsync() => SqliteStores.CreateAsync();
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureTableWorkOutboxContractTests(AzuriteFixture azurite) : WorkOutboxContract
{
    protected override Task<StoreSet> CreateStoresAsync() => azurite.CreateAsync();
}

public sealed class SqliteSourceRegistrationStoreContractTests : SourceRegistrationStoreContract
{
    protected override Task<StoreSet> CreateStoresAsync() => SqliteStores.CreateAsync();
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureTableSourceRegistrationStoreContractTests(AzuriteFixture azurite) : SourceRegistrationStoreContract
{
    protected override Task<StoreSet> CreateStoresAsync() => azurite.CreateAsync();
}

public sealed class SqliteLegalHoldStoreContractTests : LegalHoldStoreContract
{
    protected override Task<StoreSet> CreateStoresAsync() => SqliteStores.CreateAsync();
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureTableLegalHoldStoreContractTests(AzuriteFixture azurite) : LegalHoldStoreContract
{
    protected override Task<StoreSet> CreateStoresAsync() => azurite.CreateAsync();
}

public sealed class SqliteJobRunStoreContractTests : JobRunStoreContract
{
    protected override Task<StoreSet> CreateStoresAsync() => SqliteStores.CreateAsync();
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureTableJobRunStoreContractTests(AzuriteFixture azurite) : JobRunStoreContract
{
    protected override Task<StoreSet> CreateStoresAsync() => azurite.CreateAsync();
}

public sealed class SqliteSuppressionListContractTests : SuppressionListContract
{
    protected override Task<StoreSet> CreateStoresAsync() => SqliteStores.CreateAsync();
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureTableSuppressionListContractTests(AzuriteFixture azurite) : SuppressionListContract
{
    protected override Task<StoreSet> CreateStoresAsync() => azurite.CreateAsync();
}

public sealed class SqliteSourceLeaseStoreContractTests : SourceLeaseStoreContract
{
    protected override Task<StoreSet> CreateStoresAsync() => SqliteStores.CreateAsync();
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureTableSourceLeaseStoreContractTests(AzuriteFixture azurite) : SourceLeaseStoreContract
{
    protected override Task<StoreSet> CreateStoresAsync() => azurite.CreateAsync();
}

public sealed class SqlitePurgeStoreContractTests : PurgeStoreContract
{
    protected override Task<StoreSet> CreateStoresAsync() => SqliteStores.CreateAsync();
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureTablePurgeStoreContractTests(AzuriteFixture azurite) : PurgeStoreContract
{
    protected override Task<StoreSet> CreateStoresAsync() => azurite.CreateAsync();
}

public sealed class SqliteFollowUpErasureStoreContractTests : FollowUpErasureStoreContract
{
    protected override Task<StoreSet> CreateStoresAsync() => SqliteStores.CreateAsync();
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureTableFollowUpErasureStoreContractTests(AzuriteFixture azurite) : FollowUpErasureStoreContract
{
    protected override Task<StoreSet> CreateStoresAsync() => azurite.CreateAsync();
}
