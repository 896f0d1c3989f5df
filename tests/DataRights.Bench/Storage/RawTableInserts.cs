using System.Globalization;
using Azure.Data.Tables;
using DataRights.Bench.Measurement;

namespace DataRights.Bench.Storage;

/// <summary>
/// The floor under every Table storage write: one <c>TableClient.AddEntityAsync</c> of one new entity (its own
/// partition, the fields of a request row), nothing else, through one shared client as the product shares its own.
/// </summary>
internal sealed class RawTableInserts
{
    private readonly TableClient _table;
    private long _next;

    private RawTableInserts(TableClient table) => _table = table;

    public static async Task<RawTableInserts> CreateAsync(string connectionString, string tableName, CancellationToken cancellationToken)
    {
        var table = new TableServiceClient(connectionString).GetTableClient(tableName);
        await table.CreateIfNotExistsAsync(cancellationToken);
        return new RawTableInserts(table);
    }

    public Task<LoadResult> RunAsync(int concurrency, TimeSpan duration, CancellationToken cancellationToken) =>
        TimedWorkers.RunAsync(concurrency, duration, InsertAsync, dedicatedThreads: false, cancellationToken);

    /// <summary>The time <paramref name="count"/> point reads of rows this lane inserted take, <paramref name="concurrency"/> at a time.</summary>
    public async Task<TimeSpan> PointReadsAsync(int count, int concurrency, CancellationToken cancellationToken)
    {
        var inserted = Math.Max(1, Interlocked.Read(ref _next));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (i, token) => await _table.GetEntityIfExistsAsync<TableEntity>(string.Create(CultureInfo.InvariantCulture, $"raw-{(i % inserted) + 1:D12}"), "request", cancellationToken: token));
        return watch.Elapsed;
    }

    private async ValueTask<string?> InsertAsync(int worker, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _next);
        var entity = new TableEntity(string.Create(CultureInfo.InvariantCulture, $"raw-{n:D12}"), "request")
        {
            ["Type"] = "erasure",
            ["Status"] = "awaiting_verification",
            ["Jurisdiction"] = "UK",
            ["Email"] = string.Create(CultureInfo.InvariantCulture, $"raw-{n}@example.com"),
            ["FullName"] = string.Create(CultureInfo.InvariantCulture, $"Raw Person {n}"),
            ["ReceivedAt"] = DateTimeOffset.UnixEpoch.AddSeconds(n),
            ["Version"] = 1,
        };
        using var response = await _table.AddEntityAsync(entity, cancellationToken);
        return response.Status == 204 ? null : string.Create(CultureInfo.InvariantCulture, $"HTTP {response.Status}");
    }
}
