namespace DataRights.Core.Retention;

/// <summary>
/// One purge of one region: by its timer (the id names the region and the occurrence, so a run killed
/// mid-way is resumed, not repeated) or started by staff. Its rows are the report.
/// </summary>
public sealed record PurgeRun(
    string Id,
    string Region,
    string Trigger,
    bool DryRun,
    DateTimeOffset ScheduledFor,
    DateTimeOffset StartedAt,
    string Status,
    DateTimeOffset? FinishedAt = null)
{
    public const string Running = "running";
    public const string Completed = "completed";

    /// <summary>Finished, but a source was busy (purged by another instance at the time): tried again later.</summary>
    public const string Incomplete = "incomplete";
}
