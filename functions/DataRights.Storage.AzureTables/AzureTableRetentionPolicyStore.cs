using System.Globalization;
using DataRights.Core.Audit;
using DataRights.Core.Retention;
using DataRights.Core.Workflow;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>Retention policies, one JSON document per region in the retention partition; each save is audited in the retention chain in the same transaction.</summary>
public sealed class AzureTableRetentionPolicyStore(AzureTableStore store) : IRetentionPolicyStore
{
    private readonly RetentionPartition _partition = new(store);

    public async Task<IReadOnlyList<StoredRetentionPolicy>> ListAsync(CancellationToken cancellationToken)
    {
        var rows = await _partition.QueryAsync(RetentionPartition.PolicyPrefix, null, cancellationToken);
        return rows
            .Select(r => new StoredRetentionPolicy(WorkflowJson.Deserialize<RetentionPolicy>(r.GetText("Policy")!), AuditChain.ParseInstant(r.GetString("UpdatedAt")), r.GetString("UpdatedBy")))
            .OrderBy(p => p.Policy.Region, StringComparer.Ordinal)
            .ToList();
    }

    public async Task<StoredRetentionPolicy?> GetAsync(string region, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(p => p.Policy.Region == region);

    public async Task SaveAsync(RetentionPolicy policy, string actor, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var row = new TableEntity(RetentionPartition.Key, RetentionPartition.PolicyPrefix + TableKeys.Escape(policy.Region)) { Description = $"retention policy of {policy.Region}" }
            .Set("Region", policy.Region)
            .SetText("Policy", WorkflowJson.Serialize(policy))
            .Set("UpdatedAt", AuditChain.FormatInstant(at))
            .Set("UpdatedBy", actor);

        // The rules themselves are the evidence (keys, periods and reasons; no personal data).
        var details = new Dictionary<string, string?>
        {
            ["region"] = policy.Region,
            ["rules"] = policy.Rules.Count.ToString(CultureInfo.InvariantCulture),
            ["policy"] = string.Join("; ", policy.Rules.Select(r => $"{r.Category}={r.MaxAge} from {r.CountsFrom}")),
        };
        if (await _partition.WriteAsync([TableOperation.Upsert(row)], [new AuditDraft(at, actor, "retention.policy_saved", null, null, details)], cancellationToken) is { } refused)
        {
            throw new TableStorageException($"saving the retention policy of {policy.Region}", refused.Status, refused.ErrorCode, null);
        }
    }
}
