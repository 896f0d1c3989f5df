namespace DataRights.Host.Retention.Durable;

/// <summary>
/// How one source's purge went, for the run's orchestration output: batches run, the orchestration's generations
/// (1 + the times it continued as new) and, when its plan or a batch failed outright, the error type (the report lines
/// say the rest).
/// </summary>
public sealed record PurgeSourceResult(string SourceKey, int Batches, int Generations, string? Failure = null);
