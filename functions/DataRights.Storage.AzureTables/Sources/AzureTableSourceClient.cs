using System.Globalization;
using Azure.Data.Tables;
using TableEntity = DataRights.Storage.AzureTables.Entities.TableEntity;
using DataRights.Core.Sources.Registry;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables.Sources;

/// <summary>
/// Access to a firm's own tables (the <c>azure-table</c> data-source connector): find a person's rows by one
/// property, find rows dated before a day, and delete, merge or strip properties of rows, in entity-group
/// transactions per partition. Every filter is built here from a property name checked to be an identifier and
/// values written as OData literals by the SDK (<see cref="TableClient.CreateQueryFilter(FormattableString)"/>), so
/// nothing from a request or a registration reaches a filter unescaped. Keys are taken as the firm's applications
/// wrote them (the SDK encodes them into addresses).
/// </summary>
public sealed class AzureTableSourceClient
{
    private readonly TableGateway _client;

    public AzureTableSourceClient(AzureTableConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _client = connection.CreateGateway();
    }

    /// <summary>HTTP calls made (retries not counted), for benchmarks.</summary>
    public long RoundTrips => _client.RoundTrips;

    /// <summary>True for a property name Table storage accepts and a filter can hold as it is: a C# identifier of at most 255 characters.</summary>
    public static bool IsPropertyName(string? name) => SourceRegistrationValidator.IsTablePropertyName(name);

    /// <summary>True for a table name Table storage accepts: a letter, then letters and digits, 3 to 63 in all.</summary>
    public static bool IsTableName(string? name) => SourceRegistrationValidator.IsTableName(name);

    /// <summary>Reads at most one row of <paramref name="table"/>, so a wrong address, key or table name shows; throws <see cref="TableStorageException"/> (or the SDK's <c>RequestFailedException</c> when nothing answers).</summary>
    public async Task ProbeAsync(string table, CancellationToken cancellationToken)
    {
        EnsureTableName(table);
        await _client.QueryAsync(table, "PartitionKey ne ''", 1, cancellationToken, ["PartitionKey"]);
    }

    /// <summary>Rows whose <paramref name="property"/> equals <paramref name="value"/> (a string), in key order.</summary>
    public async Task<IReadOnlyList<SourceRow>> FindAsync(string table, string property, string value, CancellationToken cancellationToken)
    {
        EnsureTableName(table);
        EnsurePropertyName(property);
        ArgumentNullException.ThrowIfNull(value);
        var rows = await _client.QueryAsync(table, $"{property} eq {TableClient.CreateQueryFilter($"{value}")}", null, cancellationToken);
        return [.. rows.Select(r => new SourceRow(r))];
    }

    /// <summary>
    /// Rows whose <paramref name="dateProperty"/> is before <paramref name="cutoff"/>, in key order, at most
    /// <paramref name="take"/> (null: all). The date may be an <c>Edm.DateTime</c> or ISO 8601 text (<c>2025-01-31</c>);
    /// callers should still check each row's date, since text compares as text. <paramref name="select"/> limits the
    /// properties read (the keys come anyway).
    /// </summary>
    public async Task<IReadOnlyList<SourceRow>> FindBeforeAsync(
        string table, string dateProperty, DateOnly cutoff, int? take, IReadOnlyList<string>? select, CancellationToken cancellationToken)
    {
        EnsureTableName(table);
        EnsurePropertyName(dateProperty);
        foreach (var name in select ?? [])
        {
            EnsurePropertyName(name);
        }

        var day = cutoff.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var midnight = new DateTimeOffset(cutoff.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var filter = $"({dateProperty} lt {TableClient.CreateQueryFilter($"{midnight}")}) or ({dateProperty} lt {TableClient.CreateQueryFilter($"{day}")})";
        var rows = await _client.QueryAsync(table, filter, take, cancellationToken, select);
        return [.. rows.Select(r => new SourceRow(r))];
    }

    /// <summary>
    /// Deletes the rows (read from this table) in transactions per partition. <paramref name="onlyIfUnchanged"/>:
    /// a row changed since it was read is left alone. Rows already gone are not counted. Returns the rows deleted.
    /// </summary>
    public Task<int> DeleteAsync(string table, IReadOnlyList<SourceRow> rows, bool onlyIfUnchanged, CancellationToken cancellationToken)
    {
        EnsureTableName(table);
        var operations = rows.Select(r => TableOperation.Delete(r.PartitionKey, r.RowKey, onlyIfUnchanged ? r.Entity.ETag ?? "*" : "*"));
        return WriteAsync(table, operations, cancellationToken, onlyIfUnchanged ? [404, 412] : [404]);
    }

    /// <summary>Sets <paramref name="values"/> (strings or booleans) on each row, leaving its other properties as they are (Merge). Returns the rows changed.</summary>
    public Task<int> MergeAsync(string table, IReadOnlyList<SourceRow> rows, IReadOnlyDictionary<string, object> values, CancellationToken cancellationToken)
    {
        EnsureTableName(table);
        foreach (var name in values.Keys)
        {
            EnsurePropertyName(name);
        }

        var operations = rows.Select(r =>
        {
            var patch = new TableEntity(r.PartitionKey, r.RowKey);
            foreach (var (name, value) in values)
            {
                patch.Properties[name] = SourceRow.ToStored(value);
            }

            return TableOperation.Merge(patch, "*");
        });
        return WriteAsync(table, operations, cancellationToken, [404]);
    }

    /// <summary>
    /// Removes <paramref name="names"/> from each row (Table storage has no null: the row is replaced without them, every
    /// other property kept with its type), only if the row is unchanged since it was read; a row changed meanwhile
    /// throws <see cref="TableStorageException"/> (412), so the caller's retry reads it again. Returns the rows changed.
    /// </summary>
    public Task<int> RemovePropertiesAsync(string table, IReadOnlyList<SourceRow> rows, IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        EnsureTableName(table);
        var operations = rows.Where(r => names.Any(r.Entity.Properties.ContainsKey)).Select(r =>
        {
            var kept = new TableEntity(r.PartitionKey, r.RowKey);
            foreach (var (name, value) in r.Entity.Properties.Where(p => !names.Contains(p.Key)))
            {
                kept.Properties[name] = value;
            }

            return TableOperation.Replace(kept, r.Entity.ETag ?? "*");
        });
        return WriteAsync(table, operations, cancellationToken, [404]);
    }

    /// <summary>Creates the table if it does not exist (tests and benchmarks seed tables this way).</summary>
    public Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken)
    {
        EnsureTableName(table);
        return _client.CreateTableIfNotExistsAsync(table, cancellationToken);
    }

    /// <summary>Writes the rows, replacing any with the same keys, in transactions per partition (tests and benchmarks).</summary>
    public Task<int> UpsertAsync(string table, IReadOnlyList<SourceRow> rows, CancellationToken cancellationToken)
    {
        EnsureTableName(table);
        return WriteAsync(table, rows.Select(r => TableOperation.Upsert(r.Entity)), cancellationToken, []);
    }

    /// <summary>Every row of the table, in key order (tests).</summary>
    public async Task<IReadOnlyList<SourceRow>> ListAsync(string table, CancellationToken cancellationToken)
    {
        EnsureTableName(table);
        var rows = await _client.QueryAsync(table, "PartitionKey ne ''", null, cancellationToken);
        return [.. rows.Select(r => new SourceRow(r))];
    }

    internal static void EnsurePropertyName(string name)
    {
        if (!IsPropertyName(name))
        {
            throw new ArgumentException("A property name must be an identifier: a letter or underscore, then letters, digits or underscores.", nameof(name));
        }
    }

    private static void EnsureTableName(string table)
    {
        if (!IsTableName(table))
        {
            throw new ArgumentException("A table name must be a letter followed by letters and digits, 3 to 63 characters in all.", nameof(table));
        }
    }

    // One transaction per partition and hundred rows; when one fails (a row went or changed meanwhile, or the
    // payload is too large) its rows are written one by one, the tolerated refusals not counted.
    private async Task<int> WriteAsync(string table, IEnumerable<TableOperation> operations, CancellationToken cancellationToken, int[] tolerate)
    {
        var written = 0;
        foreach (var partition in operations.GroupBy(o => o.PartitionKey, StringComparer.Ordinal))
        {
            foreach (var chunk in partition.Chunk(TableGateway.MaxBatchOperations))
            {
                if (chunk.Length > 1)
                {
                    try
                    {
                        if ((await _client.SubmitTransactionAsync(table, chunk, cancellationToken)).Succeeded)
                        {
                            written += chunk.Length;
                            continue;
                        }
                    }
                    catch (TableEntityTooLargeException)
                    {
                        // Too large for one transaction: one by one below.
                    }
                }

                foreach (var operation in chunk)
                {
                    if ((await _client.ExecuteAsync(table, operation, cancellationToken, tolerate)).Succeeded)
                    {
                        written++;
                    }
                }
            }
        }

        return written;
    }
}
