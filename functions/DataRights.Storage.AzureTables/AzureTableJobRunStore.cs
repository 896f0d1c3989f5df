using DataRights.Core.Audit;
using DataRights.Core.Ports;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>The last scheduled time each job ran for, one row per job in the registry table.</summary>
public sealed class AzureTableJobRunStore(AzureTableStore store) : IJobRunStore
{
    public async Task<DateTimeOffset?> LastRunAsync(string job, CancellationToken cancellationToken) =>
        await store.Client.GetAsync(store.RegistryTable, TableRows.JobPartition, TableKeys.Escape(job), cancellationToken) is { } row
            ? AuditChain.ParseInstant(row.GetString("ScheduledFor"))
            : null;

    public async Task RecordAsync(string job, DateTimeOffset scheduledFor, DateTimeOffset finishedAt, CancellationToken cancellationToken)
    {
        var row = new TableEntity(TableRows.JobPartition, TableKeys.Escape(job))
            .Set("Name", job)
            .Set("ScheduledFor", AuditChain.FormatInstant(scheduledFor))
            .Set("FinishedAt", AuditChain.FormatInstant(finishedAt));
        await store.Client.ExecuteAsync(store.RegistryTable, TableOperation.Upsert(row), cancellationToken);
    }
}
