namespace DataRights.Host.Retention.Durable;

/// <summary>
/// Where one source of a purge orchestration stands: its categories left to purge (null until planned), the one in hand
/// and its last batch number, the batches run so far, and the error type when its plan or a batch failed outright.
/// </summary>
public sealed record PurgeSourceState(
    string SourceKey,
    IReadOnlyList<string>? Categories = null,
    int Index = 0,
    int Batch = 0,
    int Batches = 0,
    string? Failure = null);
