using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// Bulk loading for benchmarks: many new requests written with the very rows intake writes for each (its lookups rows,
/// its inbox row, its partition), built by the same code, but many to a transaction and side by side. It skips what
/// intake checks: no duplicate window, no conflicting submissions; and its writes are upserts, so a transaction the client
/// sends again after a lost answer succeeds. No path of the program calls it.
/// </summary>
public sealed partial class AzureTableRequestStore
{
    /// <summary>
    /// Writes <paramref name="requests"/> as intake would have stored them (numbered after the year's counter, which is
    /// moved past them), in the order intake writes: lookups rows, inbox rows, then each request's partition. Each must
    /// have its own id, fingerprint and status token, and a first decision that queues no work; nobody else may submit
    /// meanwhile.
    /// </summary>
    internal async Task<IReadOnlyList<DataSubjectRequest>> ImportAsync(
        IReadOnlyList<NewRequest> requests, Func<DataSubjectRequest, Decision> start, int parallelism, CancellationToken cancellationToken)
    {
        var prepared = new List<Prepared>(requests.Count);
        var lookups = new List<TableOperation>(requests.Count * 4);
        foreach (var year in requests.GroupBy(r => r.ReceivedAt.UtcDateTime.Year))
        {
            var counterKey = TableRows.ReferencePrefix + year.Key.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var counter = await store.Client.GetAsync(store.LookupsTable, TableRows.LookupPartition, counterKey, cancellationToken);
            var last = counter is null ? 0 : counter.GetInt64("Last");
            foreach (var request in year)
            {
                var p = Prepare(request, year.Key, ++last, start);
                if (p.Rows.Any(r => r.RowKey.StartsWith(TableRows.WorkPrefix, StringComparison.Ordinal)))
                {
                    throw new ArgumentException($"Request {request.Id}: an import writes no work, and its first decision queues some.", nameof(start));
                }

                prepared.Add(p);
                lookups.AddRange(ClaimRows(new Claimant(request, request.ReceivedAt, start, false, cancellationToken), last).Operations.Select(Idempotent));
                lookups.Add(WaitingEntriesFor(request.Intake.Email, [request]));
            }

            // Alone, after the others: a transaction touches a row once.
            var counterRow = new TableEntity(TableRows.LookupPartition, counterKey).Set("Last", last);
            await store.Client.ExecuteAsync(store.LookupsTable, TableOperation.Upsert(counterRow), cancellationToken);
            _counters.Remove(year.Key);
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(lookups.Chunk(TableGateway.MaxBatchOperations), options, async (chunk, token) => await WriteAllAsync(store.LookupsTable, chunk, token));
        var stored = prepared.Select(p => p.Stored).ToList();
        await Parallel.ForEachAsync(InboxBatches(stored), options, async (chunk, token) => await WriteAllAsync(store.InboxTable, chunk, token));
        await Parallel.ForEachAsync(prepared, options, async (p, token) => await WriteAllAsync(store.RequestsTable, [.. p.Rows.Select(TableOperation.Upsert)], token));
        return stored;
    }

    /// <summary>
    /// The same row written whole whether it is there or not: a transaction sent again after its answer was lost (as the
    /// client does when a busy service answers late) writes the same rows again instead of failing.
    /// </summary>
    private static TableOperation Idempotent(TableOperation operation) =>
        operation.Kind == TableOperationKind.Insert ? TableOperation.Upsert(operation.Entity!) : operation;

    private async Task WriteAllAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken cancellationToken)
    {
        var result = await store.Client.SubmitTransactionAsync(table, operations, cancellationToken);
        if (!result.Succeeded)
        {
            throw new TableStorageException($"importing into {table}", result.Status, result.ErrorCode, null);
        }
    }
}
