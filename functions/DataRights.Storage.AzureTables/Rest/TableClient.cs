using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;

namespace DataRights.Storage.AzureTables.Rest;

/// <summary>
/// The few Table REST calls the adapter needs (create table, get, query with continuation, insert,
/// replace, merge, delete, entity-group transaction), sent through an Azure.Core pipeline (retries,
/// diagnostics, authentication). Expected refusals (404, 409, 412) come back as results; anything else
/// throws <see cref="TableStorageException"/>.
/// </summary>
internal sealed partial class TableClient
{
    /// <summary>Table storage's limit per entity.</summary>
    public const long MaxEntityBytes = 1024 * 1024;

    /// <summary>Table storage's limit per entity-group transaction payload.</summary>
    public const long MaxBatchBytes = 4 * 1024 * 1024;

    /// <summary>Table storage's limit of operations per entity-group transaction.</summary>
    public const int MaxBatchOperations = 100;

    private const string JsonContentType = "application/json";
    private static readonly int[] None = [];
    private readonly HttpPipeline _pipeline;
    private readonly string _base;
    private long _roundTrips;

    public TableClient(HttpPipeline pipeline, Uri endpoint)
    {
        _pipeline = pipeline;
        _base = endpoint.AbsoluteUri.TrimEnd('/');
    }

    /// <summary>HTTP calls made (each may have been retried), for benchmarks.</summary>
    public long RoundTrips => Interlocked.Read(ref _roundTrips);

    /// <summary>
    /// False (the store's own tables): every key must already be escaped by <see cref="TableKeys.Escape"/>, and
    /// any other key is a bug. True (a firm's own tables, whose keys are whatever its applications wrote): keys
    /// are quoted and percent-encoded into entity addresses instead.
    /// </summary>
    public bool EncodeKeys { get; init; }

    /// <summary>Creates the table; one that exists already is fine.</summary>
    public async Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken)
    {
        using var message = CreateMessage(RequestMethod.Post, _base + "/Tables");
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        SetJson(message, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("TableName", table);
            writer.WriteEndObject();
        });
        await SendAsync(message, cancellationToken);
        var status = message.Response.Status;
        if (status != 409)
        {
            EnsureExpected(message, "create table " + table, None);
        }
    }

    public async Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        using var message = CreateMessage(RequestMethod.Get, EntityUrl(table, partitionKey, rowKey));
        await SendAsync(message, cancellationToken);
        if (message.Response.Status == 404)
        {
            return null;
        }

        EnsureExpected(message, "read from " + table, None);
        using var json = JsonDocument.Parse(message.Response.Content.ToMemory());
        return TableEntity.FromJson(json.RootElement);
    }

    /// <summary>
    /// Entities matching <paramref name="filter"/>, in key order, following continuation headers until the
    /// last page (a page may be empty and still have a continuation) or until <paramref name="take"/> are read.
    /// </summary>
    public async Task<List<TableEntity>> QueryAsync(string table, string filter, int? take, CancellationToken cancellationToken, IReadOnlyList<string>? select = null)
    {
        var results = new List<TableEntity>();
        string? nextPartition = null;
        string? nextRow = null;
        do
        {
            var url = new StringBuilder(_base).Append('/').Append(table).Append("()?$filter=").Append(Uri.EscapeDataString(filter));
            if (take is { } limit)
            {
                url.Append("&$top=").Append(Math.Min(1000, limit - results.Count).ToString(CultureInfo.InvariantCulture));
            }

            if (select is { Count: > 0 })
            {
                // The keys always: an entity is nothing without them.
                url.Append("&$select=").Append(Uri.EscapeDataString(string.Join(',', select.Concat(["PartitionKey", "RowKey"]).Distinct(StringComparer.Ordinal))));
            }

            if (nextPartition is not null)
            {
                url.Append("&NextPartitionKey=").Append(Uri.EscapeDataString(nextPartition));
            }

            if (nextRow is not null)
            {
                url.Append("&NextRowKey=").Append(Uri.EscapeDataString(nextRow));
            }

            using var message = CreateMessage(RequestMethod.Get, url.ToString());
            await SendAsync(message, cancellationToken);
            EnsureExpected(message, "query " + table, None);
            using (var json = JsonDocument.Parse(message.Response.Content.ToMemory()))
            {
                foreach (var item in json.RootElement.GetProperty("value").EnumerateArray())
                {
                    results.Add(TableEntity.FromJson(item));
                }
            }

            nextPartition = message.Response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out var np) ? np : null;
            nextRow = message.Response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out var nr) ? nr : null;
        }
        while ((nextPartition is not null || nextRow is not null) && (take is null || results.Count < take));

        return results;
    }

    /// <summary>One write. Statuses in <paramref name="tolerate"/> (404, 409, 412) are returned; other failures throw.</summary>
    public async Task<WriteResult> ExecuteAsync(string table, TableOperation operation, CancellationToken cancellationToken, params int[] tolerate)
    {
        var url = operation.AddressesEntity ? EntityUrl(table, operation.PartitionKey, operation.RowKey) : _base + "/" + table;
        using var message = CreateMessage(new RequestMethod(operation.Method), url);
        if (operation.IfMatch is not null)
        {
            message.Request.Headers.SetValue("If-Match", operation.IfMatch);
        }

        if (operation.Entity is not null)
        {
            EnsureFits(table, operation.Entity);
            message.Request.Headers.SetValue("Prefer", "return-no-content");
            SetJson(message, operation.Entity.WriteJson);
        }

        await SendAsync(message, cancellationToken);
        var response = message.Response;
        if (response.Status is >= 200 and < 300)
        {
            return new WriteResult(response.Status, response.Headers.TryGetValue("ETag", out var etag) ? etag : null, null);
        }

        EnsureExpected(message, Describe(operation, table), tolerate);
        return new WriteResult(response.Status, null, ErrorCode(response.Content.ToString()));
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

        var batchBoundary = "batch_" + Guid.NewGuid().ToString("N");
        var changesetBoundary = "changeset_" + Guid.NewGuid().ToString("N");
        var body = new StringBuilder();
        body.Append("--").Append(batchBoundary).Append("\r\n")
            .Append("Content-Type: multipart/mixed; boundary=").Append(changesetBoundary).Append("\r\n\r\n");
        for (var i = 0; i < operations.Count; i++)
        {
            var operation = operations[i];
            var url = operation.AddressesEntity ? EntityUrl(table, operation.PartitionKey, operation.RowKey) : _base + "/" + table;
            body.Append("--").Append(changesetBoundary).Append("\r\n")
                .Append("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n")
                .Append(operation.Method).Append(' ').Append(url).Append(" HTTP/1.1\r\n")
                .Append("Content-ID: ").Append((i + 1).ToString(CultureInfo.InvariantCulture)).Append("\r\n")
                .Append("Accept: application/json;odata=minimalmetadata\r\nDataServiceVersion: 3.0\r\n");
            if (operation.IfMatch is not null)
            {
                body.Append("If-Match: ").Append(operation.IfMatch).Append("\r\n");
            }

            if (operation.Entity is null)
            {
                body.Append("\r\n");
                continue;
            }

            EnsureFits(table, operation.Entity);
            body.Append("Content-Type: application/json\r\nPrefer: return-no-content\r\n\r\n");
            using (var buffer = new MemoryStream())
            {
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    operation.Entity.WriteJson(writer);
                }

                body.Append(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
            }

            body.Append("\r\n");
        }

        body.Append("--").Append(changesetBoundary).Append("--\r\n--").Append(batchBoundary).Append("--\r\n");
        var bytes = Encoding.UTF8.GetBytes(body.ToString());
        if (bytes.Length > MaxBatchBytes)
        {
            throw new TableEntityTooLargeException(
                $"A Table storage transaction holds at most {MaxBatchBytes:N0} bytes; the one for partition {operations[0].PartitionKey} of {table} is {bytes.Length:N0} bytes ({operations.Count} operations).");
        }

        using var message = CreateMessage(RequestMethod.Post, _base + "/$batch");
        message.Request.Headers.SetValue("Content-Type", "multipart/mixed; boundary=" + batchBoundary);
        message.Request.Content = RequestContent.Create(bytes);
        await SendAsync(message, cancellationToken);
        EnsureExpected(message, $"a transaction of {operations.Count} operations in {table}", None);
        return ParseBatchResponse(message.Response.Content.ToString(), operations.Count, table);
    }

    internal static BatchResult ParseBatchResponse(string text, int operations, string table)
    {
        var etags = new List<string?>(operations);
        var matches = StatusLine().Matches(text);
        for (var m = 0; m < matches.Count; m++)
        {
            var status = int.Parse(matches[m].Groups["status"].Value, CultureInfo.InvariantCulture);
            var start = matches[m].Index + matches[m].Length;
            var end = m + 1 < matches.Count ? matches[m + 1].Index : text.Length;
            var part = text[start..end];
            if (status is >= 200 and < 300)
            {
                var etag = ETagHeader().Match(part);
                etags.Add(etag.Success ? etag.Groups["etag"].Value.Trim() : null);
                continue;
            }

            var code = ErrorCode(part);
            var index = FailedIndex().Match(part) is { Success: true } i ? int.Parse(i.Groups["index"].Value, CultureInfo.InvariantCulture) : (int?)null;
            if (status is 404 or 409 or 412)
            {
                return new BatchResult(false, [], status, index, code);
            }

            throw new TableStorageException($"a transaction of {operations} operations in {table}" + (index is null ? string.Empty : $" (operation {index})"), status, code, null);
        }

        if (etags.Count != operations)
        {
            throw new TableStorageException($"Table storage answered a transaction of {operations} operations in {table} with {etags.Count} results.");
        }

        return new BatchResult(true, etags, 202, null, null);
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

    // Row keys are named by kind only ("token_…"): some carry hashes (status tokens, fingerprints) that have no place in logs.
    private static string Describe(TableOperation operation, string table) =>
        $"{operation.Kind.ToString().ToLowerInvariant()} of {operation.PartitionKey}/{(operation.RowKey.IndexOf('_', StringComparison.Ordinal) is > 0 and var i ? operation.RowKey[..(i + 1)] + "…" : operation.RowKey)} in {table}";

    private static void EnsureExpected(HttpMessage message, string operation, int[] tolerate)
    {
        var status = message.Response.Status;
        if (status is >= 200 and < 300 || tolerate.Contains(status))
        {
            return;
        }

        var content = message.Response.Content.ToString();
        throw new TableStorageException(operation, status, ErrorCode(content), ServiceMessage(content));
    }

    private static string? ErrorCode(string content)
    {
        var match = ErrorCodePattern().Match(content);
        return match.Success ? match.Groups["code"].Value : null;
    }

    private static string? ServiceMessage(string content)
    {
        var match = ServiceMessagePattern().Match(content);
        return match.Success ? Regex.Unescape(match.Groups["message"].Value).Split('\n')[0] : null;
    }

    private string EntityUrl(string table, string partitionKey, string rowKey)
    {
        if (EncodeKeys)
        {
            // An OData key literal doubles its quotes; the address then carries it percent-encoded.
            return $"{_base}/{table}(PartitionKey='{Uri.EscapeDataString(partitionKey.Replace("'", "''", StringComparison.Ordinal))}',RowKey='{Uri.EscapeDataString(rowKey.Replace("'", "''", StringComparison.Ordinal))}')";
        }

        CheckKey(partitionKey);
        CheckKey(rowKey);
        return $"{_base}/{table}(PartitionKey='{partitionKey}',RowKey='{rowKey}')";
    }

    private static void CheckKey(string key)
    {
        // Keys are built by TableKeys.Escape: URL-safe as they are. Anything else is a bug here, not input.
        if (!SafeKey().IsMatch(key))
        {
            throw new ArgumentException("A table key must be escaped with TableKeys.Escape.", nameof(key));
        }
    }

    private HttpMessage CreateMessage(RequestMethod method, string url)
    {
        var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(new Uri(url));
        return message;
    }

    private static void SetJson(HttpMessage message, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        message.Request.Headers.SetValue("Content-Type", JsonContentType);
        message.Request.Content = RequestContent.Create(buffer.ToArray());
    }

    private async ValueTask SendAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _roundTrips);
        await _pipeline.SendAsync(message, cancellationToken);
    }

    [GeneratedRegex(@"^HTTP/1\.1 (?<status>\d{3})[^\r\n]*\r?\n", RegexOptions.Multiline)]
    private static partial Regex StatusLine();

    [GeneratedRegex(@"^ETag:\s*(?<etag>[^\r\n]+)", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex ETagHeader();

    [GeneratedRegex("\"code\"\\s*:\\s*\"(?<code>[^\"]+)\"|<Code>(?<code>[^<]+)</Code>")]
    private static partial Regex ErrorCodePattern();

    [GeneratedRegex("\"value\"\\s*:\\s*\"(?<message>(?:[^\"\\\\]|\\\\.)*)\"|<Message>(?<message>[^<]+)</Message>")]
    private static partial Regex ServiceMessagePattern();

    [GeneratedRegex("\"value\"\\s*:\\s*\"(?<index>\\d+):")]
    private static partial Regex FailedIndex();

    [GeneratedRegex(@"^[A-Za-z0-9\-._~]*$")]
    private static partial Regex SafeKey();
}
