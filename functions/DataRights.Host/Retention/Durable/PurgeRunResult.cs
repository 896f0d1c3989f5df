namespace DataRights.Host.Retention.Durable;

/// <summary>A purge orchestration's output: the run's final status and each source's result.</summary>
public sealed record PurgeRunResult(string RunId, string Status, IReadOnlyList<PurgeSourceResult> Sources);
