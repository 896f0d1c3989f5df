using DataRights.Storage.Tests.Infrastructure;

namespace DataRights.Storage.Tests.Contracts;

/// <summary>A fresh, empty store of one backend for every test.</summary>
public abstract class StoreContract : IAsyncLifetime
{
    private StoreSet? _stores;

    protected StoreSet Stores => _stores ?? throw new InvalidOperationException("Not initialised.");

    protected static CancellationToken None => CancellationToken.None;

    public async Task InitializeAsync() => _stores = await CreateStoresAsync();

    public async Task DisposeAsync()
    {
        if (_stores is not null)
        {
            await _stores.DisposeAsync();
        }
    }

    protected abstract Task<StoreSet> CreateStoresAsync();
}
