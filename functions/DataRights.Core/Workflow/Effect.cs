namespace DataRights.Core.Workflow;

/// <summary>
/// Work the decider asks for. <see cref="Id"/> is stable, so recording the same effect twice, or
/// delivering it twice, does it once. Effects carry ids and keys, never personal data.
/// </summary>
public abstract record Effect(string Id, DateTimeOffset NotBefore);

public sealed record SendMessage(string Id, DateTimeOffset NotBefore, MessageKind Kind) : Effect(Id, NotBefore);

/// <summary>Assembles the person's export (access, portability) from the copies each source made.</summary>
public sealed record BuildExport(string Id, DateTimeOffset NotBefore) : Effect(Id, NotBefore);

/// <summary>Deletes the export's file when its download link expires.</summary>
public sealed record DeleteExport(string Id, DateTimeOffset NotBefore) : Effect(Id, NotBefore);

/// <summary>Puts the person's hashed email on the marketing suppression list (kept even after erasure).</summary>
public sealed record AddSuppression(string Id, DateTimeOffset NotBefore) : Effect(Id, NotBefore);

/// <summary>Asks every source that restricted the person's records to release them.</summary>
public sealed record LiftRestriction(string Id, DateTimeOffset NotBefore) : Effect(Id, NotBefore);

/// <summary>
/// Publishes a change of the request to the firm's other systems. <see cref="Effect.Id"/> is the event's id and its
/// message id, so publishing it again (a repeated step) is dropped as a duplicate.
/// </summary>
public sealed record PublishEvent(string Id, DateTimeOffset NotBefore, Events.RequestEventData Data) : Effect(Id, NotBefore);

/// <summary>The messages the workflow sends; the email layer renders each from the request's current state.</summary>
public enum MessageKind
{
    Verification,
    VerificationReminder,
    VerificationExpired,
    ApprovalRequest,
    ApprovalReminder,
    ApprovalEscalation,
    InformationRequest,
    ExtensionNotice,
    Completion,
    Rejection,
    StaffDeadlineReminder,
    StaffOverdue,
    StaffFailure,

    /// <summary>To a manual source's owner: search for the person, or carry out the request, and answer from the link.</summary>
    ManualTask,

    /// <summary>To each recipient (processor) of data that was erased, corrected or restricted (Art. 19), and to staff for those with no address.</summary>
    RecipientNotice,

    /// <summary>To staff: recipients registered without an address, to tell of the change by hand (Art. 19).</summary>
    StaffRecipientTask,

    /// <summary>To the requester: the restriction they asked for will be lifted, when and why (Art. 18(3)).</summary>
    RestrictionLifting,

    /// <summary>To the requester: their copy is ready, with a single-use download link.</summary>
    ExportReady,

    /// <summary>To a manual source's owner: delete by hand what a retention rule says has run out, and confirm from the link.</summary>
    PurgeTask,

    /// <summary>To the requester: records kept back from their erasure by a legal hold are erased now that the hold has ended.</summary>
    HeldRecordsErased,

    /// <summary>The daily digest to staff of overdue and soon-due requests (not tied to one request).</summary>
    StaffDigest,

    /// <summary>To the requester: the private link to their request's status, because the request was submitted again.</summary>
    StatusLink,

    /// <summary>To the requester: the details they gave did not match our records; a link to give them once more.</summary>
    VerificationNotMatched,

    /// <summary>To the requester (California): the categories of data we hold, because their identity could not be verified for specific pieces.</summary>
    CategoriesAnswer,

    /// <summary>
    /// To staff: the request's workflow keeps stopping (restarted twice or more and stopped again), so nothing moves the
    /// request until it runs; sent by the hourly workflow check itself, not by the stopped workflow, at most once a day.
    /// </summary>
    StaffWorkflowStopped,

    /// <summary>To the requester: we still need their answer to our question; the link to give it.</summary>
    InformationReminder,

    /// <summary>To staff: the requester has not answered the question asked of them; what they can do.</summary>
    StaffInformationUnanswered,

    /// <summary>
    /// To staff: a submission received could not be taken in (its taking in kept stopping the program) and is set aside,
    /// kept for them to see in the console; sent by the hourly check, at most once a day while it stays set aside.
    /// Not about a request (it has none yet).
    /// </summary>
    StaffSubmissionSetAside,
}
