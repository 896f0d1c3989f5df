namespace DataRights.Host.Retention.Durable;

/// <summary>
/// What a purge orchestration is given: the run it carries (its id names the region and the occurrence, or is a staff
/// run's own) and how many rounds of batches it runs before it continues as new; after continue-as-new, where each
/// source stands and which generation this is.
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
