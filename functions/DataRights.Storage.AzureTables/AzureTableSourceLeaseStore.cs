using DataRights.Core.Audit;
using DataRights.Core.Retention;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// Source leases as rows in the registry table (holder, expiry), shared by every instance: taken only when
/// free, expired, or already the caller's, each change conditional on the row's ETag, so two instances
/// racing for one source cannot both win.
/// </summary>
public sealed class AzureTableSourceLeaseStore(AzureTableStore store) : ISourceLeaseStore
{
    private const string Partition = "lease";

    public async Task<bool> TryAcquireAsync(string sourceKey, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        var row = new TableEntity(Partition, TableKeys.Escape(sourceKey)) { Description = "source lease " + sourceKey }
            .Set("Holder", holder)
            .Set("ExpiresAt", AuditChain.FormatInstant(now + duration));
        var current = await store.Client.GetAsync(store.RegistryTable, Partition, TableKeys.Escape(sourceKey), cancellationToken);
        if (current is null)
        {
            return (await store.Client.ExecuteAsync(store.RegistryTable, TableOperation.Insert(row), cancellationToken, 409)).Succeeded;
        }

        var free = current.GetString("Holder") == holder || AuditChain.ParseInstant(current.GetString("ExpiresAt")) <= now;
        return free && (await store.Client.ExecuteAsync(store.RegistryTable, TableOperation.Replace(row, current.ETag!), cancellationToken, 404, 412)).Succeeded;
    }

    public async Task ReleaseAsync(string sourceKey, string holder, CancellationToken cancellationToken)
    {
        var current = await store.Client.GetAsync(store.RegistryTable, Partition, TableKeys.Escape(sourceKey), cancellationToken);
        if (current is not null && current.GetString("Holder") == holder)
        {
            await store.Client.ExecuteAsync(store.RegistryTable, TableOperation.Delete(Partition, TableKeys.Escape(sourceKey), current.ETag!), cancellationToken, 404, 412);
        }
    }
}
