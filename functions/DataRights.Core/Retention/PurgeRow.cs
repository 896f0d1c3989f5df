namespace DataRights.Core.Retention;

/// <summary>
/// One line of a purge report: one category of one source (<see cref="AgeKind"/>), or one follow-up
/// erasure of an earlier request (<see cref="FollowUpKind"/>). Counts are cumulative over the resumptions
/// of a run. Never personal data: keys, counts, dates and request ids.
/// </summary>
public sealed record PurgeRow
{
    public const string AgeKind = "age";
    public const string FollowUpKind = "follow_up";

    public const string Running = "running";
    public const string Done = "done";
    public const string Failed = "failed";
    public const string Busy = "busy";
    public const string OnHold = "held";
    public const string NotSupported = "not_supported";

    /// <summary>A manual source's owner was emailed a task to purge by hand; it becomes <see cref="Done"/> when they confirm.</summary>
    public const string TaskSent = "task_sent";

    /// <summary>A manual source's task from an earlier run is still unanswered, so no new one was sent.</summary>
    public const string TaskOpen = "task_open";

    public required string RunId { get; init; }

    public required string SourceKey { get; init; }

    /// <summary>The row's key within the run and source: the category, or <c>follow-up:</c> and the follow-up's id.</summary>
    public required string Item { get; init; }

    public required string Kind { get; init; }

    public required string Category { get; init; }

    public string State { get; init; } = Running;

    /// <summary>For follow-ups: the request whose erasure is finished.</summary>
    public string? RequestId { get; init; }

    /// <summary>Records dated before this day were past their limit.</summary>
    public DateOnly? Cutoff { get; init; }

    public long Scanned { get; init; }

    public long Purged { get; init; }

    public long Held { get; init; }

    public long Retained { get; init; }

    public int Errors { get; init; }

    public long DurationMs { get; init; }

    /// <summary>Batches of an orchestrated purge already applied to this line, so a batch run again changes nothing.</summary>
    public int Batches { get; init; }

    public string? Note { get; init; }

    /// <summary>Done, failed, held, not supported or handed to an owner: a resumed run leaves the row alone.</summary>
    public bool IsFinal => State is Done or Failed or OnHold or NotSupported or TaskSent or TaskOpen;
}
