namespace DataRights.Host.Retention.Durable;

/// <summary>
/// What a purge orchestration is given: the run it carries (its id names the region and the occurrence), how many
/// batches each source's orchestration runs before it continues as new, and how long the run's start and finish keep
/// trying through an outage (<see cref="RunStepRetryFirst"/>, <see cref="RunStepRetryFor"/>; null in instances started
/// before they were given: <see cref="PurgeOrchestrator.RunStepRetry"/> takes the defaults). <see cref="Sources"/> and <see cref="Generation"/>
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
    int Generation = 1,
    TimeSpan? RunStepRetryFirst = null,
    TimeSpan? RunStepRetryFor = null);
