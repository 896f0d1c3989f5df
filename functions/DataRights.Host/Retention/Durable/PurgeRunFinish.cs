namespace DataRights.Host.Retention.Durable;

/// <summary>
/// What the finish of purge run <paramref name="RunId"/> is told by its orchestration: the sources whose orchestration
/// failed outright (<paramref name="FailedSources"/>, by key), which may have left no report line at all (their plan
/// failed), so the run is not called complete.
/// </summary>
public sealed record PurgeRunFinish(string RunId, IReadOnlyList<string>? FailedSources = null);
