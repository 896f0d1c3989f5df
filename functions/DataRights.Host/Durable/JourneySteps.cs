using DataRights.Core.Ports;
using DataRights.Core.Workflow;

namespace DataRights.Host.Durable;

/// <summary>
/// The names a request orchestration's history reads by, so an operator looking at it (the Durable Functions monitor, the
/// task hub's History table) follows the journey rather than a generic engine: each step is an activity named for what
/// it does (<c>SendEmail</c>, <c>SearchSource</c> once per source side by side, <c>CarryOutAtSource</c>, <c>RemindToConfirm</c>
/// after its durable timer), and each decision made outside the orchestration reaches it as an event named for what was
/// decided (<c>verified</c>, <c>approved</c>, <c>information-given</c>...). Every step activity runs the same thing (the
/// work item's idempotent handler, <see cref="RunWorkItemActivity"/>); the names carry no personal data (ids and kinds
/// only), and a name the orchestration does not know runs as <see cref="RunWorkItemActivity.Name"/> (a generic step).
/// </summary>
public static class JourneySteps
{
    /// <summary>The event a decision with no journey name of its own is announced by (and a commit announced again).</summary>
    public const string WorkEvent = "work";

    public const string SendEmail = "SendEmail";
    public const string SearchSource = "SearchSource";
    public const string CarryOutAtSource = "CarryOutAtSource";
    public const string PrepareOrDeleteExport = "PrepareOrDeleteExport";
    public const string AddToSuppressionList = "AddToSuppressionList";
    public const string LiftRestriction = "ReleaseRestrictedRecords";
    public const string PublishEvent = "PublishEvent";

    // What a timer the request keeps does when it fires (see TimerActivities).
    public const string RemindToConfirm = "RemindToConfirm";
    public const string ExpireUnconfirmed = "ExpireUnconfirmed";
    public const string RemindApprovers = "RemindApprovers";
    public const string EscalateApproval = "EscalateApproval";
    public const string RemindToAnswer = "RemindToAnswer";
    public const string ReportUnanswered = "ReportUnanswered";
    public const string RemindOfDeadline = "RemindOfDeadline";
    public const string MarkOverdue = "MarkOverdue";
    public const string RemindSourceOwner = "RemindSourceOwner";
    public const string RecordNoAnswer = "RecordNoAnswer";
    public const string SearchAgain = "SearchAgain";
    public const string LiftRestrictionAfterNotice = "LiftRestrictionAfterNotice";

    private static readonly Dictionary<string, string> ActivityByKind = new(StringComparer.Ordinal)
    {
        [WorkItem.Message] = SendEmail,
        [WorkItem.Export] = PrepareOrDeleteExport,
        [WorkItem.Suppress] = AddToSuppressionList,
        [WorkItem.Unrestrict] = LiftRestriction,
        [WorkItem.Event] = PublishEvent,
    };

    private static readonly Dictionary<TimerKind, string> ActivityByTimer = new()
    {
        [TimerKind.VerificationReminder] = RemindToConfirm,
        [TimerKind.VerificationExpiry] = ExpireUnconfirmed,
        [TimerKind.ApprovalReminder] = RemindApprovers,
        [TimerKind.ApprovalEscalation] = EscalateApproval,
        [TimerKind.InformationReminder] = RemindToAnswer,
        [TimerKind.InformationUnanswered] = ReportUnanswered,
        [TimerKind.DeadlineReminder] = RemindOfDeadline,
        [TimerKind.Overdue] = MarkOverdue,
        [TimerKind.AnswerReminder] = RemindSourceOwner,
        [TimerKind.AnswerOverdue] = RecordNoAnswer,
        [TimerKind.SearchAgain] = SearchAgain,
        [TimerKind.RestrictionLift] = LiftRestrictionAfterNotice,
    };

    /// <summary>
    /// The activity names a timer the request keeps runs under when it fires, one per kind (every one runs
    /// <see cref="PlannedTimerDueActivity"/>), and the generic one.
    /// </summary>
    public static IReadOnlyList<string> TimerActivities { get; } = [.. ActivityByTimer.Values, PlannedTimerDueActivity.Name];

    /// <summary>The activity a fired timer of <paramref name="kind"/> that the request keeps runs under.</summary>
    public static string TimerActivityFor(TimerKind kind) => ActivityByTimer.GetValueOrDefault(kind, PlannedTimerDueActivity.Name);

    /// <summary>
    /// The activity names a source's step runs under (<see cref="RunSourceStepActivity"/>): <c>SearchSource</c>,
    /// <c>CarryOutAtSource</c>, and the generic one.
    /// </summary>
    public static IReadOnlyList<string> SourceStepActivities { get; } = [SearchSource, CarryOutAtSource, RunSourceStepActivity.Name];

    /// <summary>The activity a source's <paramref name="step"/> runs under.</summary>
    public static string SourceStepActivityFor(SourceStep step) => step == SourceStep.Discover ? SearchSource : CarryOutAtSource;

    /// <summary>The activity names a work item's step runs under, one per kind of work, and the generic one.</summary>
    public static IReadOnlyList<string> StepActivities { get; } = [.. ActivityByKind.Values, RunWorkItemActivity.Name];

    /// <summary>The events a request orchestration waits for: one per kind of decision made outside it, and the generic one.</summary>
    public static IReadOnlyList<string> Events { get; } =
    [
        "verified", "verification-resent", "approved", "rejected", "information-asked", "information-given",
        "source-answered", "deadline-extended", "retry-asked", "restriction-lift-asked", "export-downloaded", WorkEvent,
    ];

    /// <summary>The activity that runs a work item of <paramref name="kind"/>.</summary>
    public static string ActivityFor(string kind) => ActivityByKind.GetValueOrDefault(kind, RunWorkItemActivity.Name);

    /// <summary>The event a commit of <paramref name="decided"/> (decisions made outside the orchestration, in order) is announced by: the first one's.</summary>
    public static string EventFor(IEnumerable<WorkflowEvent> decided)
    {
        ArgumentNullException.ThrowIfNull(decided);
        return decided.Select(NameOf).FirstOrDefault() ?? WorkEvent;
    }

    private static string NameOf(WorkflowEvent decided) => decided switch
    {
        IdentityVerified => "verified",
        VerificationResendRequested => "verification-resent",
        ApprovalGranted => "approved",
        RequestRejected => "rejected",
        InformationRequested => "information-asked",
        InformationProvided => "information-given",
        SourceDiscovered or SourceDiscoveryFailed or SourceExecuted or SourceExecutionFailed or SourceAnswerAwaited => "source-answered",
        DeadlineExtended => "deadline-extended",
        RetryRequested => "retry-asked",
        RestrictionLiftRequested => "restriction-lift-asked",
        ExportDownloaded => "export-downloaded",
        _ => WorkEvent,
    };

    /// <summary>
    /// What a waiting work item is, in words, for the orchestration's status (<see cref="WorkDescriptions.Awaited"/>):
    /// "reminder to the person to confirm their request" for a timer's item
    /// (<c>{request}:timer:verification-reminder:1</c>), "approval request to the approvers" for a message.
    /// </summary>
    public static string Describe(DeliveredWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return WorkDescriptions.Awaited(work.Id, work.Kind);
    }
}
