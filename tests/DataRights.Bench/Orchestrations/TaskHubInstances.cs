using Azure.Data.Tables;

namespace DataRights.Bench.Orchestrations;

/// <summary>
/// The orchestration instances of one task hub whose ids start with a prefix, read from the hub's Instances table with
/// a client of the bench's own (not the program's, so its calls are not counted as the program's). Both lanes of the
/// workflow ratio detect their end with it, polled at the same interval, so the end detection costs them alike.
/// </summary>
internal sealed class TaskHubInstances(TableClient instances, string prefix)
{
    /// <summary>How often a lane's end is looked for.</summary>
    public const int PollMs = 50;

    public static TaskHubInstances For(string connectionString, string hubName, string prefix) =>
        new(new TableServiceClient(connectionString).GetTableClient(hubName + "Instances"), prefix);

    /// <summary>Instances that have completed; throws on one that failed or was terminated (the figures would mean nothing).</summary>
    public async Task<long> CompletedAsync(CancellationToken cancellationToken)
    {
        var end = prefix[..^1] + (char)(prefix[^1] + 1);
        var filter = $"PartitionKey ge '{prefix}' and PartitionKey lt '{end}' and (RuntimeStatus eq 'Completed' or RuntimeStatus eq 'Failed' or RuntimeStatus eq 'Terminated')";
        long completed = 0;
        await foreach (var row in instances.QueryAsync<TableEntity>(filter, select: ["RuntimeStatus"], cancellationToken: cancellationToken))
        {
            if (row.GetString("RuntimeStatus") != "Completed")
            {
                throw new InvalidOperationException($"Orchestration {row.PartitionKey} ended {row.GetString("RuntimeStatus")}.");
            }

            completed++;
        }

        return completed;
    }
}
