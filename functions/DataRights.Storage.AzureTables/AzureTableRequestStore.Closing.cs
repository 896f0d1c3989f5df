using DataRights.Core.Audit;
using DataRights.Core.Requests;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// The record of closed requests whose orchestration run may not have ended (<c>closing_{id}</c> rows of the lookup
/// partition), so the hourly workflow check can find a closed request whose work (the emails after completion, an
/// export's deletion a week later) lost its workflow, without reading every request. A row is written before the commit
/// that closes a request, or that gives a closed request whose run had ended new work, so no crash leaves such a
/// request unrecorded; it costs that commit one write, and no other commit anything. A reader drops a row once its
/// request's run has ended (or its request never closed: the commit did not land), but only a row older than
/// <see cref="AzureTableStore.AbandonAfter"/>, so one a writer has just written for a commit still under way is kept.
/// </summary>
public sealed partial class AzureTableRequestStore
{
    /// <summary>Whether a commit from <paramref name="before"/> to <paramref name="updated"/> starts a run of a closed request, to be recorded first.</summary>
    private static bool StartsClosedRun(TableEntity before, DataSubjectRequest updated) =>
        RequestLifecycle.IsFinal(updated.Status) && !updated.RunEnded
        && (!RequestLifecycle.IsFinal(WireNames.ParseStatus(before.GetString("Status"))) || before.GetBoolean(RunEndedColumn));

    /// <summary>Records <paramref name="updated"/> as closed with its run going, before the commit that makes it so.</summary>
    private async Task RecordClosingAsync(TableEntity before, DataSubjectRequest updated, CancellationToken cancellationToken)
    {
        if (StartsClosedRun(before, updated))
        {
            var row = new TableEntity(TableRows.LookupPartition, TableRows.ClosingPrefix + TableKeys.Escape(updated.Id))
                .Set("RequestId", updated.Id)
                .Set("IndexedAt", AuditChain.FormatInstant(store.Time.GetUtcNow()));
            await store.Client.ExecuteAsync(store.LookupsTable, TableOperation.Upsert(row), cancellationToken);
        }
    }

    public async Task<IReadOnlyList<DataSubjectRequest>> ListClosedWithRunAsync(CancellationToken cancellationToken)
    {
        var rows = await store.Client.QueryAsync(
            store.LookupsTable, $"{TableKeys.Partition(TableRows.LookupPartition)} and {TableKeys.RowKeyPrefix(TableRows.ClosingPrefix)}", null, cancellationToken);
        var found = new List<DataSubjectRequest>(rows.Count);
        foreach (var chunk in rows.Chunk(16))
        {
            var requests = await Task.WhenAll(chunk.Select(r => GetAsync(r.GetString("RequestId"), cancellationToken)));
            var stale = new List<Task>();
            for (var i = 0; i < chunk.Length; i++)
            {
                if (requests[i] is { RunEnded: false } request && RequestLifecycle.IsFinal(request.Status))
                {
                    found.Add(request);
                }
                else if (AuditChain.ParseInstant(chunk[i].GetString("IndexedAt")) < store.Time.GetUtcNow() - store.AbandonAfter)
                {
                    // Its run ended (or its commit never landed): dropped, unless written again since (the ETag).
                    stale.Add(store.Client.ExecuteAsync(store.LookupsTable, TableOperation.Delete(TableRows.LookupPartition, chunk[i].RowKey, chunk[i].ETag!), cancellationToken, 404, 412));
                }
            }

            await Task.WhenAll(stale);
        }

        return found;
    }
}
