using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// Bulk loading for benchmarks: many new requests written with the rows of theirs the staff inbox reads (each request's
/// partition and its inbox row), built by the same code as intake's, but many to a transaction and side by side. It
/// skips intake's claim: no duplicate window, and no lookups rows (fingerprint claim, status-token row, open-list row,
/// awaiting-verification entry), so an imported request is not found by its status token nor listed by the full list of
/// open requests; only the year's reference counter is moved past the numbers it gives. Its writes are upserts, so a
/// write the client sends again after a lost answer succeeds. No path of the program calls it.
/// </summary>
public sealed partial class AzureTableRequestStore
{
    /// <summary>
    /// Writes <paramref name="requests"/> as intake would have stored them (numbered after the year's counter), inbox
    /// rows first, then each request's partition (<paramref name="progress"/> hears 0 once the inbox rows are written, then
    /// every 5,000 partitions). Each must have its own id, and a first decision that queues no work;
    /// nobody else may submit meanwhile.
    /// </summary>
    internal async Task<IReadOnlyList<DataSubjectRequest>> ImportAsync(
        IReadOnlyList<NewRequest> requests, Func<DataSubjectRequest, Decision> start, int parallelism, Action<int>? progress, CancellationToken cancellationToken)
    {
        var prepared = new List<Prepared>(requests.Count);
        foreach (var year in requests.GroupBy(r => r.ReceivedAt.UtcDateTime.Year))
        {
            var counterKey = TableRows.ReferencePrefix + year.Key.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var counter = await store.Client.GetAsync(store.LookupsTable, TableRows.LookupPartition, counterKey, cancellationToken);
            var last = counter is null ? 0 : counter.GetInt64("Last");
            foreach (var request in year)
            {
                var p = Prepare(request, year.Key, ++last, start);
                if (p.Stored.Progress.Owed.Count > 0)
                {
                    throw new ArgumentException($"Request {request.Id}: an import writes no work, and its first decision queues some.", nameof(start));
                }

                prepared.Add(p);
            }

            await store.Client.ExecuteAsync(store.LookupsTable, TableOperation.Upsert(new TableEntity(TableRows.LookupPartition, counterKey).Set("Last", last)), cancellationToken);
            _counters.Remove(year.Key);
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
        var stored = prepared.Select(p => p.Stored).ToList();
        var done = 0;

        // The inbox rows a transaction per due day (up to 100 rows each), as the index's start-up build writes them.
        await Parallel.ForEachAsync(InboxBatches(stored), options, async (chunk, token) => await WriteAllAsync(store.InboxTable, chunk, token));
        progress?.Invoke(0);
        await Parallel.ForEachAsync(prepared, options, async (p, token) =>
        {
            await WriteAllAsync(store.RequestsTable, [.. p.Rows.Select(TableOperation.Upsert)], token);
            if (Interlocked.Increment(ref done) % 5000 == 0)
            {
                progress?.Invoke(done);
            }
        });
        return stored;
    }

    private async Task WriteAllAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken cancellationToken)
    {
        var result = await store.Client.SubmitTransactionAsync(table, operations, cancellationToken);
        if (!result.Succeeded)
        {
            throw new TableStorageException($"importing into {table}", result.Status, result.ErrorCode, null);
        }
    }
}
