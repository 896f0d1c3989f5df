using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace DataRights.Storage.AzureTables.Entities;

/// <summary>
/// The stores' one way into Table storage, over Azure.Data.Tables: create table, get, query with continuation
/// tokens, single writes and entity-group transactions, with ETag conditions. Expected refusals (404, 409, 412)
/// come back as results; anything else throws <see cref="TableStorageException"/>. It also checks Table storage's
/// size limits before sending, so an entity or transaction that cannot fit is refused with a message naming it.
/// </summary>
internal sealed class TableGateway(TableServiceClient service, RoundTripCounter? counter = null)
{
    /// <summary>Table storage's limit per entity.</summary>
    public const long MaxEntityBytes = 1024 * 1024;

    /// <summary>Table storage's limit per entity-group transaction payload.</summary>
    public const long MaxBatchBytes = 4 * 1024 * 1024;

    /// <summary>Table storage's limit of operations per entity-group transaction.</summary>
    public const int MaxBatchOperations = 100;

    // A transaction's payload per operation besides the entity itself (its part headers and address), generously.
    private const int OperationOverhead = 512;

    private static readonly int[] None = [];

    public TableServiceClient Service => service;

    /// <summary>HTTP calls made (each may have been retried), for benchmarks.</summary>
    public long RoundTrips => counter?.Count ?? 0;

    public TableClient Table(string table) => service.GetTableClient(table);

    /// <summary>Creates the table; one that exists already is fine.</summary>
    public async Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken)
    {
        try
        {
            await Table(table).CreateIfNotExistsAsync(cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status != 0)
        {
            throw Refused("create table " + table, ex);
        }
    }

    public async Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Table(table).GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
            return response.HasValue ? TableEntity.FromSdk(response.Value!) : null;
        }
        catch (RequestFailedException ex) when (ex.Status != 0)
        {
            throw Refused("read from " + table, ex);
        }
    }

    /// <summary>
    /// Entities matching <paramref name="filter"/>, in key order, page by page (a page may be empty and still
    /// have a continuation token) until the last page or until <paramref name="take"/> are read.
    /// </summary>
    public async Task<List<TableEntity>> QueryAsync(string table, string filter, int? take, CancellationToken cancellationToken, IReadOnlyList<string>? select = null)
    {
        var results = new List<TableEntity>();
        // The keys always: an entity is nothing without them.
        var columns = select is { Count: > 0 } ? select.Concat(["PartitionKey", "RowKey"]).Distinct(StringComparer.Ordinal).ToList() : null;
        var pageSize = take is { } limit ? Math.Min(1000, limit) : (int?)null;
        try
        {
            var pages = Table(table).QueryAsync<Azure.Data.Tables.TableEntity>(filter, pageSize, columns, cancellationToken).AsPages(pageSizeHint: pageSize);
            await foreach (var page in pages)
            {
                foreach (var entity in page.Values)
                {
                    results.Add(TableEntity.FromSdk(entity));
                    if (results.Count == take)
                    {
                        return results;
                    }
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status != 0)
        {
            throw Refused("query " + table, ex);
        }

        return results;
    }

    /// <summary>
    /// Up to <paramref name="take"/> entities matching <paramref name="filter"/>, in key order, reading at most
    /// <paramref name="maxPages"/> pages: when it stops with fewer and the service has more to look at, the place the
    /// service would go on from (else null); and how many pages it read.
    /// </summary>
    public async Task<(List<TableEntity> Rows, ContinuationPlace? StoppedAt, int Pages)> QueryPagesAsync(string table, string filter, int take, int maxPages, CancellationToken cancellationToken)
    {
        var results = new List<TableEntity>();
        var pageSize = Math.Min(1000, take);
        var read = 0;
        try
        {
            var pages = Table(table).QueryAsync<Azure.Data.Tables.TableEntity>(filter, pageSize, null, cancellationToken).AsPages(pageSizeHint: pageSize);
            await foreach (var page in pages)
            {
                read++;
                foreach (var entity in page.Values)
                {
                    results.Add(TableEntity.FromSdk(entity));
                    if (results.Count == take)
                    {
                        return (results, null, read);
                    }
                }

                if (read == maxPages && ContinuationPlace.Parse(page.ContinuationToken) is { } place)
                {
                    return (results, place, read);
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status != 0)
        {
            throw Refused("query " + table, ex);
        }

        return (results, null, read);
    }

    /// <summary>One write. Statuses in <paramref name="tolerate"/> (404, 409, 412) are returned; other failures throw.</summary>
    public async Task<WriteResult> ExecuteAsync(string table, TableOperation operation, CancellationToken cancellationToken, params int[] tolerate)
    {
        if (operation.Entity is not null)
        {
            EnsureFits(table, operation.Entity);
        }

        var client = Table(table);
        Response response;
        try
        {
            response = operation.Kind switch
            {
                TableOperationKind.Insert => await client.AddEntityAsync(operation.Entity!.ToSdk(), cancellationToken),
                TableOperationKind.Replace => await client.UpdateEntityAsync(operation.Entity!.ToSdk(), operation.IfMatchTag, TableUpdateMode.Replace, cancellationToken),
                TableOperationKind.Merge => await client.UpdateEntityAsync(operation.Entity!.ToSdk(), operation.IfMatchTag, TableUpdateMode.Merge, cancellationToken),
                TableOperationKind.Upsert => await client.UpsertEntityAsync(operation.Entity!.ToSdk(), TableUpdateMode.Replace, cancellationToken),
                TableOperationKind.UpsertMerge => await client.UpsertEntityAsync(operation.Entity!.ToSdk(), TableUpdateMode.Merge, cancellationToken),
                _ => await client.DeleteEntityAsync(operation.PartitionKey, operation.RowKey, operation.IfMatchTag, cancellationToken),
            };
        }
        catch (RequestFailedException ex) when (tolerate.Contains(ex.Status))
        {
            return new WriteResult(ex.Status, null, ErrorCode(ex));
        }
        catch (RequestFailedException ex) when (ex.Status != 0)
        {
            throw Refused(Describe(operation, table), ex);
        }

        // A delete of an entity that is not there answers 404 without throwing.
        if (response.Status is >= 200 and < 300 || tolerate.Contains(response.Status))
        {
            return new WriteResult(response.Status, response.Headers.ETag?.ToString(), null);
        }

        throw new TableStorageException(Describe(operation, table), response.Status, null, null);
    }

    /// <summary>
    /// An entity-group transaction: every operation in one table and one partition, all applied or none.
    /// A refusal of one operation with 404, 409 or 412 is returned with its index; other failures throw.
    /// </summary>
    public async Task<BatchResult> SubmitTransactionAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken cancellationToken)
    {
        if (operations.Count == 0)
        {
            return new BatchResult(true, [], 202, null, null);
        }

        if (operations.Count > MaxBatchOperations)
        {
            throw new TableEntityTooLargeException(
                $"A Table storage transaction holds at most {MaxBatchOperations} operations; this one has {operations.Count} (partition {operations[0].PartitionKey} of {table}).");
        }

        if (operations.Any(o => !string.Equals(o.PartitionKey, operations[0].PartitionKey, StringComparison.Ordinal)))
        {
            throw new ArgumentException("Every operation of a transaction must be in one partition.", nameof(operations));
        }

        foreach (var operation in operations)
        {
            if (operation.Entity is not null)
            {
                EnsureFits(table, operation.Entity);
            }
        }

        EnsureBatchFits(table, operations);
        try
        {
            var response = await Table(table).SubmitTransactionAsync(operations.Select(o => o.ToAction()), cancellationToken);
            return new BatchResult(true, [.. response.Value.Select(r => r.Headers.ETag?.ToString())], 202, null, null);
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 404 or 409 or 412)
        {
            return new BatchResult(false, [], ex.Status, ex.FailedTransactionActionIndex, ErrorCode(ex));
        }
        catch (TableTransactionFailedException ex) when (ex.Status != 0)
        {
            var index = ex.FailedTransactionActionIndex is { } i ? $" (operation {i})" : string.Empty;
            throw Refused($"a transaction of {operations.Count} operations in {table}{index}", ex);
        }
        catch (RequestFailedException ex) when (ex.Status != 0)
        {
            throw Refused($"a transaction of {operations.Count} operations in {table}", ex);
        }
    }

    private static void EnsureFits(string table, TableEntity entity)
    {
        TableKeys.EnsureValid(entity.PartitionKey, "partition key");
        TableKeys.EnsureValid(entity.RowKey, "row key");
        var size = entity.EstimatedSize;
        if (size > MaxEntityBytes)
        {
            var (name, bytes) = entity.Largest();
            throw new TableEntityTooLargeException(
                $"{entity.Description ?? "The entity"} (table {table}, partition {entity.PartitionKey}, row {entity.RowKey}) would be {size:N0} bytes; " +
                $"Table storage holds at most {MaxEntityBytes:N0} bytes per entity. Its largest property, {name}, takes {bytes:N0} bytes.");
        }
    }

    /// <summary>
    /// Refuses a transaction whose payload would pass 4 MiB. The entities' stored size (UTF-16) bounds their JSON
    /// from above only up to a factor of 3 (an escaped character takes 6 bytes), so small transactions are let
    /// through at once and larger ones are measured as the SDK sends them: JSON with escaped non-ASCII characters.
    /// </summary>
    private static void EnsureBatchFits(string table, IReadOnlyList<TableOperation> operations)
    {
        var bound = operations.Sum(o => OperationOverhead + (3 * (o.Entity?.EstimatedSize ?? 0)));
        if (bound <= MaxBatchBytes)
        {
            return;
        }

        var bytes = operations.Sum(o => OperationOverhead + (o.Entity is null ? 0L : JsonSerializer.SerializeToUtf8Bytes(o.Entity.Properties).Length));
        if (bytes > MaxBatchBytes)
        {
            throw new TableEntityTooLargeException(
                $"A Table storage transaction holds at most {MaxBatchBytes:N0} bytes; the one for partition {operations[0].PartitionKey} of {table} is {bytes:N0} bytes ({operations.Count} operations).");
        }
    }

    // Row keys are named by kind only ("token_…"): some carry hashes (status tokens, fingerprints) that have no place in logs.
    private static string Describe(TableOperation operation, string table) =>
        $"{operation.Kind.ToString().ToLowerInvariant()} of {operation.PartitionKey}/{(operation.RowKey.IndexOf('_', StringComparison.Ordinal) is > 0 and var i ? operation.RowKey[..(i + 1)] + "…" : operation.RowKey)} in {table}";

    // A refusal names the status and the service's error code; an unreachable service (status 0) stays the SDK's
    // RequestFailedException, as before. The service's own message is left out: the exception may reach logs.
    private static TableStorageException Refused(string operation, RequestFailedException ex) =>
        new(operation, ex.Status, ErrorCode(ex), null);

    // The SDK reads the code from a JSON error body; refusals with an XML body (such as a failed sign-in) carry it in a header.
    private static string? ErrorCode(RequestFailedException ex) =>
        ex.ErrorCode ?? (ex.GetRawResponse() is { } response && response.Headers.TryGetValue("x-ms-error-code", out var code) ? code : null);
}
