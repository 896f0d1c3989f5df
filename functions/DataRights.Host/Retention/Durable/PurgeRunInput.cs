namespace DataRights.Host.Retention.Durable;

/// <summary>
/// What a purge orchestration is given: the run it carries (its id names the region and the occurrence) and how many
/// batches each source's orchestration runs before it continues as new. <see cref="Sources"/> and <see cref="Generation"/>
/// are set only in instances that continued as new before each source had an orchestration of its own (where each
/// source stood then); they are read, never written now.
/// </summary>
public sealed record PurgeRunInput(
    string RunId,
    string Region,
    DateTimeOffset ScheduledFor,
    string Actor,
    bool DryRun,
    int BatchesPerGeneration,
    IReadOnlyList<PurgeSourceState>? Sources = null,
    int Generation = 1);
