using System.Globalization;
using DataRights.Core.Audit;
using DataRights.Core.Retention;
using DataRights.Core.Workflow;

namespace DataRights.Storage.Sqlite;

/// <summary>Retention policies, one JSON document per region; each save is audited in the retention chain.</summary>
public sealed class SqliteRetentionPolicyStore(SqliteDatabase database) : IRetentionPolicyStore
{
    public async Task<IReadOnlyList<StoredRetentionPolicy>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT policy, updated_at, updated_by FROM retention_policies ORDER BY region";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<StoredRetentionPolicy>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new StoredRetentionPolicy(WorkflowJson.Deserialize<RetentionPolicy>(reader.GetString(0)), AuditChain.ParseInstant(reader.GetString(1)), reader.GetString(2)));
        }

        return list;
    }

    public async Task<StoredRetentionPolicy?> GetAsync(string region, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(p => p.Policy.Region == region);

    public Task SaveAsync(RetentionPolicy policy, string actor, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                await using (var command = connection.CreateCommand())
                {
                    command.Transaction = transaction;
                    command.CommandText =
                        "INSERT INTO retention_policies (region, policy, updated_at, updated_by) VALUES ($region, $policy, $at, $by) " +
                        "ON CONFLICT (region) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at, updated_by = excluded.updated_by";
                    command.Parameters.AddWithValue("$region", policy.Region);
                    command.Parameters.AddWithValue("$policy", WorkflowJson.Serialize(policy));
                    command.Parameters.AddWithValue("$at", AuditChain.FormatInstant(at));
                    command.Parameters.AddWithValue("$by", actor);
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }

                // The rules themselves are the evidence (keys, periods and reasons; no personal data).
                var details = new Dictionary<string, string?>
                {
                    ["region"] = policy.Region,
                    ["rules"] = policy.Rules.Count.ToString(CultureInfo.InvariantCulture),
                    ["policy"] = string.Join("; ", policy.Rules.Select(r => $"{r.Category}={r.MaxAge} from {r.CountsFrom}")),
                };
                await SqliteSystemAudit.AppendAsync(
                    connection, transaction, IPurgeStore.AuditChainId, [new AuditDraft(at, actor, "retention.policy_saved", null, null, details)], cancellationToken);
                return 0;
            },
            cancellationToken);
}
