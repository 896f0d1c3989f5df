namespace DataRights.Storage.AzureTables.Entities;

/// <summary>The outcome of one write: 2xx with the new ETag, or an expected refusal (404, 409, 412).</summary>
internal sealed record WriteResult(int Status, string? ETag, string? ErrorCode)
{
    public bool Succeeded => Status is >= 200 and < 300;

    public bool NotFound => Status == 404;

    public bool Conflict => Status == 409;

    public bool PreconditionFailed => Status == 412;
}

/// <summary>
/// The outcome of an entity-group transaction: all written (with each operation's new ETag) or none,
/// with the status of the operation that failed and its index.
/// </summary>
internal sealed record BatchResult(bool Succeeded, IReadOnlyList<string?> ETags, int Status, int? FailedIndex, string? ErrorCode)
{
    public bool FailedAt(int index, params int[] statuses) => !Succeeded && FailedIndex == index && statuses.Contains(Status);
}
