using DataRights.Core.Sources.Registry;
using DataRights.Core.Workflow;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>Legal holds as JSON documents in the registry table; lifted holds stay, as evidence.</summary>
public sealed class AzureTableLegalHoldStore(AzureTableStore store) : ILegalHoldStore
{
    private const int MaxAttempts = 20;

    public async Task<IReadOnlyList<LegalHold>> ListAsync(CancellationToken cancellationToken)
    {
        var rows = await store.Client.QueryAsync(store.RegistryTable, TableKeys.Partition(TableRows.HoldPartition), null, cancellationToken);
        return rows.Select(e => WorkflowJson.Deserialize<LegalHold>(e.GetText("Hold")!)).OrderBy(h => h.Id, StringComparer.Ordinal).ToList();
    }

    public async Task PlaceAsync(LegalHold hold, CancellationToken cancellationToken)
    {
        var result = await store.Client.ExecuteAsync(store.RegistryTable, TableOperation.Insert(Row(hold)), cancellationToken, 409);
        if (result.Conflict)
        {
            throw new InvalidOperationException($"A legal hold with id {hold.Id} exists already.");
        }
    }

    public async Task<bool> LiftAsync(string id, string by, DateTimeOffset at, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var row = await store.Client.GetAsync(store.RegistryTable, TableRows.HoldPartition, TableKeys.Escape(id), cancellationToken);
            if (row is null || !row.GetBoolean("Active"))
            {
                return false;
            }

            var lifted = WorkflowJson.Deserialize<LegalHold>(row.GetText("Hold")!) with { LiftedBy = by, LiftedAt = at };
            var result = await store.Client.ExecuteAsync(store.RegistryTable, TableOperation.Replace(Row(lifted), row.ETag!), cancellationToken, 404, 412);
            if (result.Succeeded)
            {
                return true;
            }
        }

        throw new TableStorageException($"Lifting legal hold {id}: it kept changing; gave up after {MaxAttempts} attempts.");
    }

    private static TableEntity Row(LegalHold hold) =>
        new TableEntity(TableRows.HoldPartition, TableKeys.Escape(hold.Id)) { Description = $"legal hold {hold.Id}" }
            .SetText("Hold", WorkflowJson.Serialize(hold))
            .Set("Active", hold.Active);
}
