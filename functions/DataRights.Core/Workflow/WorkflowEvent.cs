using DataRights.Core.Sources;

namespace DataRights.Core.Workflow;

/// <summary>Something that happened to a request. Every event names who or what caused it.</summary>
public abstract record WorkflowEvent(string Actor);

/// <summary>Intake stored the request: start verification and the clock.</summary>
public sealed record RequestSubmitted(string Actor) : WorkflowEvent(Actor);

/// <summary>
/// The requester followed their verification link (with its single-use nonce), or staff verified them. Where the
/// request's level needs more, it carries the details the person gave (matched during discovery) and the declaration
/// they signed; staff give their reason.
/// </summary>
public sealed record IdentityVerified(string Actor, string Method, string? LinkNonce) : WorkflowEvent(Actor)
{
    /// <summary>The method of a verification by staff (the only one that needs no link).</summary>
    public const string ByStaff = "staff";

    public IReadOnlyList<Verification.GivenDataPoint> DataPoints { get; init; } = [];

    /// <summary>The verification round the person's link was issued for; null for staff and for events without a link.</summary>
    public ActionStep? Step { get; init; }

    public Verification.SignedDeclaration? Declaration { get; init; }

    /// <summary>Why staff are satisfied of the person's identity (required where the level needs more than the email).</summary>
    public string? Reason { get; init; }
}

public sealed record VerificationResendRequested(string Actor) : WorkflowEvent(Actor);

public sealed record TimerElapsed(string Actor, TimerKind Kind, string Tag) : WorkflowEvent(Actor);

public sealed record SourceDiscovered(string Actor, string SourceKey, int Round, DiscoveryFindings Findings) : WorkflowEvent(Actor);

public sealed record SourceDiscoveryFailed(string Actor, string SourceKey, int Round, string Error) : WorkflowEvent(Actor);

/// <summary>
/// Approved, with what the request means in practice where it needs saying (corrections, objection scope). From an
/// emailed link it carries the link's nonce and the step it was issued for: a decision from an earlier round is refused.
/// </summary>
public sealed record ApprovalGranted(string Actor, string? Note, string? LinkNonce = null, ActionInstructions? Instructions = null, ActionStep? Step = null) : WorkflowEvent(Actor);

/// <summary>The person's hashed email is on the suppression list (an objection to direct marketing).</summary>
public sealed record SuppressionRecorded(string Actor, bool Added) : WorkflowEvent(Actor);

public sealed record RequestRejected(string Actor, RejectionReason Reason, string? Note, string? LinkNonce = null, ActionStep? Step = null) : WorkflowEvent(Actor);

public sealed record InformationRequested(string Actor, string Question, string? LinkNonce = null, ActionStep? Step = null) : WorkflowEvent(Actor);

/// <summary>The requester answered; from the emailed link, with its nonce and the step (the question's round) it was issued for.</summary>
public sealed record InformationProvided(string Actor, string Answer, string? LinkNonce = null, ActionStep? Step = null) : WorkflowEvent(Actor);

/// <summary>
/// Someone submitted this request again (or another one for the same address while this one waits for confirmation):
/// the person is emailed its link again, never the one who submitted. At most a few such emails a day. <paramref name="Type"/>
/// is the right the submission asked for (null: not known); when it is another right than this request's, the email
/// tells the person that request was not registered, and to send it again once this one is confirmed.
/// </summary>
public sealed record RepeatSubmitted(string Actor, Requests.RequestType? Type = null) : WorkflowEvent(Actor);

public sealed record SourceExecuted(string Actor, string SourceKey, int Round, ExecutionOutcome Outcome) : WorkflowEvent(Actor);

public sealed record SourceExecutionFailed(string Actor, string SourceKey, int Round, string Error) : WorkflowEvent(Actor);

/// <summary>
/// A source took the step on and will answer later: a manual source's owner (emailed a task) or a
/// system that answered 202 and will call back. The step stays pending until the answer arrives,
/// with a reminder for owners and a time limit after which it counts as failed.
/// </summary>
public sealed record SourceAnswerAwaited(string Actor, string SourceKey, SourceStep Step, int Round, bool RemindOwner) : WorkflowEvent(Actor)
{
    /// <summary>The source's own time limit for this answer (an on-premises agent's); null: the pipeline's (<see cref="WorkflowSettings.AwaitedAnswerTimeout"/>).</summary>
    public TimeSpan? AnswerWithin { get; init; }
}

/// <summary>The two per-source steps of a request.</summary>
public enum SourceStep
{
    Discover,
    Execute,
}

public sealed record DeadlineExtended(string Actor, string Reason) : WorkflowEvent(Actor);

/// <summary>Staff retry the steps that failed.</summary>
public sealed record RetryRequested(string Actor) : WorkflowEvent(Actor);

/// <summary>Owed work (<see cref="RequestProgress.Owed"/>) was carried out: the request owes it no more.</summary>
public sealed record WorkCarriedOut(string Actor, string WorkItemId) : WorkflowEvent(Actor);

/// <summary>A work item failed for good; staff are alerted and the request shows it.</summary>
public sealed record WorkDeadLettered(string Actor, string WorkItemId, string Kind, string Error) : WorkflowEvent(Actor);

/// <summary>
/// The request was open but no workflow was carrying it (its orchestration had failed, been stopped, or was gone from the
/// task hub), found by the hourly workflow check: recorded, and the commit starts a new orchestration, which takes on the
/// request's open work. <paramref name="Found"/> says what was found: <c>missing</c>, <c>failed</c>, <c>terminated</c> or
/// <c>completed</c>.
/// </summary>
public sealed record WorkflowRestarted(string Actor, string Found) : WorkflowEvent(Actor);

/// <summary>The export package was written (encrypted) and can be offered to the requester.</summary>
public sealed record ExportBuilt(string Actor, long Bytes, int Records, int Files) : WorkflowEvent(Actor)
{
    /// <summary>The records in the package from each source (by key).</summary>
    public IReadOnlyDictionary<string, int>? RecordsBySource { get; init; }
}

/// <summary>The requester downloaded their export with a single-use link.</summary>
/// <summary>The export's build found the copies of <paramref name="Sources"/> gone (removed from storage): each is made again, then the package built.</summary>
public sealed record ExportCopiesMissing(string Actor, IReadOnlyList<string> Sources) : WorkflowEvent(Actor);

public sealed record ExportDownloaded(string Actor, string LinkNonce) : WorkflowEvent(Actor);

/// <summary>The export file was deleted (its link expired).</summary>
public sealed record ExportDeleted(string Actor) : WorkflowEvent(Actor);

/// <summary>Staff decided to lift a restriction: the person is told now, and it is lifted after the notice period.</summary>
public sealed record RestrictionLiftRequested(string Actor, string Reason) : WorkflowEvent(Actor);

/// <summary>Every source released the person's records.</summary>
public sealed record RestrictionLifted(string Actor, int Sources) : WorkflowEvent(Actor);

/// <summary>Recipients of the changed data were told (Art. 19): by email, or listed for staff to tell by hand.</summary>
public sealed record RecipientsNotified(string Actor, int ByEmail, int ByHand) : WorkflowEvent(Actor);

/// <summary>Durable timers the workflow sets.</summary>
public enum TimerKind
{
    VerificationReminder,
    VerificationExpiry,
    ApprovalReminder,
    ApprovalEscalation,
    DeadlineReminder,
    Overdue,

    /// <summary>A manual source's owner has not answered their task yet: send it again.</summary>
    AnswerReminder,

    /// <summary>A source that said it would answer later has not: the step counts as failed.</summary>
    AnswerOverdue,

    /// <summary>The notice period before lifting a restriction has passed.</summary>
    RestrictionLift,

    /// <summary>The person has not answered the question staff asked them: remind them.</summary>
    InformationReminder,

    /// <summary>The person has still not answered the question: tell the privacy team, who decide what to do.</summary>
    InformationUnanswered,

    /// <summary>
    /// The details the person gave fell short while a source could not be searched: search every source again (its tag
    /// is the discovery round that fell short).
    /// </summary>
    SearchAgain,
}
