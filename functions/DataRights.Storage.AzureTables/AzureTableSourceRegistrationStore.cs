using DataRights.Core.Audit;
using DataRights.Core.Sources.Registry;
using DataRights.Core.Workflow;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>Registrations in the registry table, one JSON document per source key (as the SQLite store keeps them).</summary>
public sealed class AzureTableSourceRegistrationStore(AzureTableStore store) : ISourceRegistrationStore
{
    public async Task<IReadOnlyList<StoredRegistration>> ListAsync(CancellationToken cancellationToken)
    {
        var rows = await store.Client.QueryAsync(store.RegistryTable, TableKeys.Partition(TableRows.SourcePartition), null, cancellationToken);
        return rows
            .Select(e => new StoredRegistration(
                WorkflowJson.Deserialize<SourceRegistration>(e.GetText("Registration")!),
                e.GetBoolean("Active"),
                AuditChain.ParseInstant(e.GetString("UpdatedAt")),
                e.GetString("UpdatedBy")))
            .OrderBy(r => r.Registration.Key, StringComparer.Ordinal)
            .ToList();
    }

    public async Task SaveAsync(SourceRegistration registration, string actor, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var row = new TableEntity(TableRows.SourcePartition, TableKeys.Escape(registration.Key)) { Description = $"registration of source {registration.Key}" }
            .SetText("Registration", WorkflowJson.Serialize(registration))
            .Set("Active", true)
            .Set("UpdatedAt", AuditChain.FormatInstant(at))
            .Set("UpdatedBy", actor);
        await store.Client.ExecuteAsync(store.RegistryTable, TableOperation.Upsert(row), cancellationToken);
    }

    public async Task<bool> DeactivateAsync(string key, string actor, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var change = new TableEntity(TableRows.SourcePartition, TableKeys.Escape(key))
            .Set("Active", false)
            .Set("UpdatedAt", AuditChain.FormatInstant(at))
            .Set("UpdatedBy", actor);

        // A merge on "any ETag" changes an existing row only: 404 means there is no such source.
        var result = await store.Client.ExecuteAsync(store.RegistryTable, TableOperation.Merge(change, "*"), cancellationToken, 404);
        return result.Succeeded;
    }
}
