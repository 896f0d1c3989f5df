using DataRights.Core.Audit;
using DataRights.Core.Ports;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>The marketing suppression list in the registry table, one row per hash (hex, so it is its own row key).</summary>
public sealed class AzureTableSuppressionList(AzureTableStore store) : ISuppressionList
{
    private const string Partition = "suppression";

    public async Task<bool> AddAsync(string emailHash, string requestId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var row = new TableEntity(Partition, emailHash) { Description = "suppression entry" }
            .Set("RequestId", requestId)
            .Set("AddedAt", AuditChain.FormatInstant(at));
        var result = await store.Client.ExecuteAsync(store.RegistryTable, TableOperation.Insert(row), cancellationToken, 409);
        return !result.Conflict
            || (await store.Client.GetAsync(store.RegistryTable, Partition, emailHash, cancellationToken))?.GetStringOrNull("RequestId") == requestId;
    }

    public async Task<bool> ContainsAsync(string emailHash, CancellationToken cancellationToken) =>
        await store.Client.GetAsync(store.RegistryTable, Partition, emailHash, cancellationToken) is not null;

    public async Task<IReadOnlyList<SuppressionEntry>> ListAsync(string? afterHash, int max, CancellationToken cancellationToken)
    {
        var filter = TableKeys.Partition(Partition) + " and RowKey gt " + TableKeys.Literal(afterHash ?? string.Empty);
        var rows = await store.Client.QueryAsync(store.RegistryTable, filter, Math.Clamp(max, 1, 1000), cancellationToken);
        return [.. rows.Select(r => new SuppressionEntry(r.RowKey, AuditChain.ParseInstant(r.GetString("AddedAt"))))];
    }
}
