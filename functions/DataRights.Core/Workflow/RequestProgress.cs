using DataRights.Core.Sources;

namespace DataRights.Core.Workflow;

/// <summary>
/// Everything the workflow remembers about one request besides its status: verification, the
/// statutory clock ledger, per-source progress, the approval, and reminders already sent.
/// Stored with the request (one partition), so one state change is one atomic write.
/// </summary>
public sealed record RequestProgress
{
    public static RequestProgress Empty { get; } = new();

    public int VerificationEmailsSent { get; init; }

    public DateTimeOffset? VerificationSentAt { get; init; }

    /// <summary>
    /// When the person was emailed this request's link (the first verification email, and every one sent again
    /// because someone asked), within the last day: what the daily limit on such emails counts.
    /// </summary>
    public IReadOnlyList<DateTimeOffset> LinkEmailsSentAt { get; init; } = [];

    public DateTimeOffset? VerifiedAt { get; init; }

    /// <summary>How identity was verified: "email_link", or "staff" with the staff member in the audit trail.</summary>
    public string? VerifiedBy { get; init; }

    /// <summary>The check of the requester's details and declaration, for requests whose level needs more than the email.</summary>
    public Verification.IdentityCheck? Identity { get; init; }

    /// <summary>Nonces of single-use links already used for this request.</summary>
    public IReadOnlyList<string> UsedLinkNonces { get; init; } = [];

    public IReadOnlyList<ClockPause> Pauses { get; init; } = [];

    public ClockExtension? Extension { get; init; }

    public int DiscoveryRound { get; init; }

    public IReadOnlyList<SourceProgress> Sources { get; init; } = [];

    public int ApprovalRound { get; init; }

    public ApprovalRecord? Approval { get; init; }

    public string? InformationQuestion { get; init; }

    public string? InformationAnswer { get; init; }

    public RejectionReason? Rejection { get; init; }

    public string? RejectionNote { get; init; }

    public bool Overdue { get; init; }

    /// <summary>
    /// The timers the request keeps for its waits (<see cref="PlannedTimer"/>): a verification round's reminder and
    /// expiry, an approval round's reminder and escalation, a question's reminder and notice to staff, each set when the
    /// wait begins (in place of an earlier round's); and the current due date's reminders and overdue notice, planned
    /// when the due date is set (a reminder whose time had already passed then is not planned). Which of them the
    /// request still waits for is <see cref="TimerWork.Waiting(Requests.DataSubjectRequest)"/>.
    /// </summary>
    public IReadOnlyList<PlannedTimer> PlannedTimers { get; init; } = [];

    /// <summary>Keys of reminders, escalations and notices already sent, so a timer delivered twice sends once.</summary>
    public IReadOnlyList<string> Sent { get; init; } = [];

    /// <summary>
    /// The work the request's decisions owe and that is not carried out or given up yet (<see cref="OwedWork"/>), earliest
    /// decided first: its orchestration runs each once it is due, and the step that carries one out records it done
    /// (<see cref="WorkCarriedOut"/>), in the same write as the request's other changes.
    /// </summary>
    public IReadOnlyList<OwedWork> Owed { get; init; } = [];

    /// <summary>
    /// The ids of owed work carried out or given up, so that work decided again with the same id (a decision repeated
    /// after a crash) is not owed twice.
    /// </summary>
    public IReadOnlyList<string> WorkDone { get; init; } = [];

    /// <summary>Work that failed for good (dead-lettered), shown to staff on the request.</summary>
    public IReadOnlyList<WorkAlert> Alerts { get; init; } = [];

    /// <summary>A restriction in force (Art. 18): placed when the request completed, until lifted.</summary>
    public RestrictionRecord? Restriction { get; init; }

    /// <summary>The access or portability export, once built.</summary>
    public ExportRecord? Export { get; init; }

    public SourceProgress? Source(string key) => Sources.FirstOrDefault(s => s.Key == key);

    /// <summary>The piece of work <paramref name="id"/> the request still owes; null when it owes none by that id.</summary>
    public OwedWork? OwedOf(string id) => Owed.FirstOrDefault(o => o.Id == id);
}

/// <summary>A restriction: when placed, and once staff decide to lift it, why, when the person was told and when it lifts.</summary>
public sealed record RestrictionRecord(DateTimeOffset PlacedAt, string? LiftReason = null, DateTimeOffset? LiftNoticeAt = null, DateTimeOffset? LiftAt = null, DateTimeOffset? LiftedAt = null);

/// <summary>An export package: its size, when its link expires, downloads, and when the file was deleted.</summary>
public sealed record ExportRecord(DateTimeOffset BuiltAt, long Bytes, int Records, int Files, DateTimeOffset ExpiresAt, int Downloads = 0, DateTimeOffset? DeletedAt = null)
{
    /// <summary>
    /// The records in the package from each source (by key), when the build said: for a portability request only the
    /// data the person gave us goes in, so these, not the sources' own counts of what they copied, say what they get.
    /// </summary>
    public IReadOnlyDictionary<string, int>? RecordsBySource { get; init; }
}

/// <summary>A stop of the statutory clock (identity verification, clarification) on local dates.</summary>
public sealed record ClockPause(DateOnly From, DateOnly? Until, string Reason);

/// <summary>The one extension a regime allows, with its reason and the new due date.</summary>
public sealed record ClockExtension(DateTimeOffset At, string By, string Reason, DateOnly NewDueOn);

/// <summary>A staff decision at the approval gate.</summary>
public sealed record ApprovalRecord(string Decision, string By, DateTimeOffset At, string? Note, ActionInstructions? Instructions = null);

/// <summary>A work item that failed for good.</summary>
public sealed record WorkAlert(string WorkItemId, string Kind, string Error, DateTimeOffset At);

/// <summary>One source's part in one request.</summary>
public sealed record SourceProgress
{
    public required string Key { get; init; }

    public required string DisplayName { get; init; }

    public required SourceAccess Access { get; init; }

    /// <summary>Whether the source's data is shared with recipients to tell of changes (Art. 19).</summary>
    public bool HasRecipients { get; init; }

    /// <summary>
    /// Whether carrying out the request changed the person's data here: it held records, the step succeeded,
    /// and not everything was kept back. Judged from what discovery found, not from the outcome's counts,
    /// which read zero when a retried step finds its work already done; except when the source changed nothing and
    /// said why (a correction of a detail it does not hold, a right it cannot carry out by itself).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Changed => Execution == StepState.Succeeded && Findings is { RecordCount: > 0 } found
        && Outcome is not { Note: not null, Erased: 0, Masked: 0, Corrected: 0, Restricted: 0, Retained.Count: 0, GoneBeforeThisAttempt: null or 0 }
        && (Outcome is null || found.RecordCount > Outcome.Retained.Sum(r => r.Count) || Outcome.Corrected + Outcome.Restricted > 0);

    public StepState Discovery { get; init; }

    public DiscoveryFindings? Findings { get; init; }

    public string? DiscoveryError { get; init; }

    public StepState Execution { get; init; } = StepState.NotStarted;

    public ExecutionOutcome? Outcome { get; init; }

    public string? ExecutionError { get; init; }

    public int ExecutionRound { get; init; }
}

/// <summary>Where a per-source step stands.</summary>
public enum StepState
{
    NotStarted,
    Pending,
    Succeeded,
    Failed,
    NotRequired,
}
