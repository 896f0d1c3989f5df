using DataRights.Core.Ports;

namespace DataRights.Core.Workflow;

/// <summary>
/// What a piece of a request's background work is, in words a privacy officer reads ("Searching Billing for the
/// person's data", "Sending the approval reminder to the approvers"), from its work item's id and kind. Staff read it
/// where a step failed after every retry (the alert email, the request's page, its audit trail), never the item's id.
/// Ids carry no personal data.
/// </summary>
public static class WorkDescriptions
{
    private static readonly Dictionary<string, MessageKind> MessagesByKebab =
        Enum.GetValues<MessageKind>().ToDictionary(k => Kebab.Of(k), StringComparer.Ordinal);

    /// <summary>
    /// The step <paramref name="workItemId"/> (of <paramref name="kind"/>, as <c>{request}:{kind}:{detail}...</c>)
    /// stands for, as a sentence's start with no full stop: "Sending the completion email to the person".
    /// </summary>
    public static string Describe(string workItemId, string kind) => WordsFor(workItemId, kind).Doing;

    /// <summary>
    /// What a request's workflow is waiting for when it waits on <paramref name="workItemId"/> (of <paramref name="kind"/>),
    /// as staff read it after "Waiting for the": "reminder to the approvers", "deletion of the person's download file".
    /// </summary>
    public static string Awaited(string workItemId, string kind) => WordsFor(workItemId, kind).Awaited;

    /// <summary>A step's words: what doing it is ("Searching Billing for…"), and what waiting for it is ("next try at searching…").</summary>
    private readonly record struct Words(string Doing, string Awaited);

    private static Words WordsFor(string workItemId, string kind)
    {
        ArgumentNullException.ThrowIfNull(workItemId);
        ArgumentNullException.ThrowIfNull(kind);
        var detail = Detail(workItemId, kind);
        var first = detail.Length > 0 ? detail[0] : null;
        return kind switch
        {
            WorkItem.Message when first is not null && MessagesByKebab.TryGetValue(first, out var message) => new("Sending " + Message(message), WithoutThe(Message(message))),
            WorkItem.Message => new("Sending an email", "email"),
            WorkItem.Timer => Timer(TimerWork.KindOf(workItemId)),
            WorkItem.Export when first == "delete" => new("Deleting the person's download file once its link expired", "deletion of the person's download file"),
            WorkItem.Export => new("Preparing the person's copy of their data (the download file)", "preparation of the person's download file"),
            WorkItem.Suppress => new("Adding the person to the list of addresses we must not send marketing to", "addition of the person to the list of addresses we must not send marketing to"),
            WorkItem.Unrestrict => new("Releasing the person's restricted records", "release of the person's restricted records"),
            WorkItem.Event => new("Telling the firm's other systems that the request changed", "message telling the firm's other systems that the request changed"),
            _ => new("A background step", "next background step"),
        };
    }

    /// <summary>
    /// A step given up after every retry, as staff read it on the request's page and in the alert email: what it was,
    /// then the error it last met, as technical detail for the operator.
    /// </summary>
    public static string Failure(WorkAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return Failure(Describe(alert.WorkItemId, alert.Kind), alert.Error);
    }

    /// <summary>"{what} failed after every retry. Technical detail: {error}".</summary>
    public static string Failure(string what, string error) =>
        $"{what} failed after every retry. Technical detail: {(string.IsNullOrWhiteSpace(error) ? "none recorded." : error)}";

    /// <summary>The parts of <paramref name="workItemId"/> after its kind: a message's kind, a source's key, a timer's kind.</summary>
    private static string[] Detail(string workItemId, string kind)
    {
        var marker = ":" + kind + ":";
        var at = workItemId.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? [] : workItemId[(at + marker.Length)..].Split(':');
    }

    private static string Message(MessageKind kind) => kind switch
    {
        MessageKind.Verification => "the email asking the person to confirm their request",
        MessageKind.VerificationReminder => "the reminder asking the person to confirm their request",
        MessageKind.VerificationExpired => "the email telling the person their request lapsed unconfirmed",
        MessageKind.VerificationNotMatched => "the email asking the person for their details once more",
        MessageKind.ApprovalRequest => "the approval request to the approvers",
        MessageKind.ApprovalReminder => "the approval reminder to the approvers",
        MessageKind.ApprovalEscalation => "the approval request to the fallback approver",
        MessageKind.InformationRequest => "the email asking the person for more information",
        MessageKind.ExtensionNotice => "the email telling the person their deadline was extended",
        MessageKind.Completion => "the email telling the person what was done",
        MessageKind.Rejection => "the email telling the person their request was refused",
        MessageKind.StaffDeadlineReminder => "the deadline reminder to the privacy team",
        MessageKind.StaffOverdue => "the overdue notice to the privacy team",
        MessageKind.StaffFailure => "the failure alert to the privacy team",
        MessageKind.ManualTask => "the task email to a system's owner",
        MessageKind.RecipientNotice => "the notices to those the person's data was shared with",
        MessageKind.StaffRecipientTask => "the list of recipients to tell by hand, to the privacy team",
        MessageKind.RestrictionLifting => "the email telling the person their restriction will be lifted",
        MessageKind.ExportReady => "the email with the person's download link",
        MessageKind.PurgeTask => "the purge task to a system's owner",
        MessageKind.HeldRecordsErased => "the email telling the person their held records were erased",
        MessageKind.StaffDigest => "the daily digest to the privacy team",
        MessageKind.StatusLink => "the email with the link to the request's status",
        MessageKind.CategoriesAnswer => "the email listing the categories of data we hold",
        MessageKind.StaffWorkflowStopped => "the alert that the request's workflow keeps stopping, to the privacy team",
        MessageKind.InformationReminder => "the reminder asking the person to answer our question",
        MessageKind.StaffInformationUnanswered => "the notice to the privacy team that the person has not answered our question",
        MessageKind.StaffSubmissionSetAside => "the alert that a request received could not be taken in, to the privacy team",
        _ => "an email",
    };

    private static string WithoutThe(string words) => words.StartsWith("the ", StringComparison.Ordinal) ? words["the ".Length..] : words;

    private static Words Timer(TimerKind? kind) => kind switch
    {
        TimerKind.VerificationReminder => new("Reminding the person to confirm their request", "reminder to the person to confirm their request"),
        TimerKind.VerificationExpiry => new("Closing the request when it was not confirmed in time", "end of the time the person has to confirm their request"),
        TimerKind.ApprovalReminder => new("Reminding the approvers", "reminder to the approvers"),
        TimerKind.ApprovalEscalation => new("Passing the approval to the fallback approver", "hand-over of the approval to the fallback approver"),
        TimerKind.DeadlineReminder => new("Reminding the privacy team of the deadline", "deadline reminder to the privacy team"),
        TimerKind.Overdue => new("Marking the request overdue", "overdue notice to the privacy team"),
        TimerKind.AnswerReminder => new("Reminding a system's owner to answer", "reminder to a system's owner to answer"),
        TimerKind.AnswerOverdue => new("Ending the wait for a system's answer", "end of the wait for a system's answer"),
        TimerKind.RestrictionLift => new("Lifting the restriction after its notice period", "lifting of the restriction after its notice period"),
        TimerKind.InformationReminder => new("Reminding the person to answer our question", "reminder to the person to answer our question"),
        TimerKind.InformationUnanswered => new("Telling the privacy team the person has not answered", "notice to the privacy team if the person has not answered our question"),
        TimerKind.SearchAgain => new("Searching again the systems that could not be searched", "new search of the systems that could not be searched"),
        _ => new("Acting on a reminder or deadline", "reminder or deadline"),
    };
}
