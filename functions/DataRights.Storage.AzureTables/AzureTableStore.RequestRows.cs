using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

public sealed partial class AzureTableStore
{
    /// <summary>How many request rows this process last read or wrote are kept for a commit's write (oldest forgotten first).</summary>
    internal const int KnownRequestRowsKept = 1024;

    private readonly KeptRows<string> _requestRows = new(KnownRequestRowsKept);

    /// <summary>
    /// Keeps a request's row as this process last read or wrote it, with its ETag, so a commit decided on that read writes
    /// on the ETag without querying the request's partition first (see <see cref="KnownRequestRow"/>). Kept for the last
    /// <see cref="KnownRequestRowsKept"/> requests.
    /// </summary>
    internal void RememberRequestRow(TableEntity row, string? etag)
    {
        if (etag is null)
        {
            return;
        }

        _requestRows.Keep(row.PartitionKey, CopyOf(row, etag));
    }

    /// <summary>
    /// A copy of the request's row as this process last read or wrote it, or null. It may be stale: a write conditional on
    /// its ETag is refused if the row changed since, and the writer then reads the partition.
    /// </summary>
    internal TableEntity? KnownRequestRow(string partition) =>
        _requestRows.TryGet(partition, out var row) ? CopyOf(row, row.ETag!) : null;
}
