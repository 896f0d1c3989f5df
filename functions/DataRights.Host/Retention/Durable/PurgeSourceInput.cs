namespace DataRights.Host.Retention.Durable;

/// <summary>
/// What a source's purge orchestration is given: the run, where the source stands (not yet planned at first), how many
/// batches it runs before it continues as new, and which generation this is.
/// </summary>
public sealed record PurgeSourceInput(string RunId, PurgeSourceState Source, int BatchesPerGeneration, int Generation = 1);
