namespace DataRights.Host.Retention.Durable;

/// <summary>The run is stored (or was already): its sources to purge, none when the run had already finished.</summary>
public sealed record PurgeRunStarted(bool AlreadyFinished, IReadOnlyList<string> SourceKeys);
