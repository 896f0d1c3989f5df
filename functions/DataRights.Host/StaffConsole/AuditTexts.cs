namespace DataRights.Host.StaffConsole;

/// <summary>The audit trail's actions and actors in the words staff read on a request's timeline.</summary>
public static class AuditTexts
{
    private static readonly Dictionary<string, string> Actions = new(StringComparer.Ordinal)
    {
        ["request.received"] = "Request received",
        ["verification.requested"] = "Confirmation email sent to the requester",
        ["verification.resent"] = "Confirmation email sent again",
        ["verification.reminded"] = "Reminder to confirm sent to the requester",
        ["verification.checked"] = "Details the requester gave checked against our records",
        ["identity.verified"] = "Requester's identity verified",
        ["discovery.started"] = "Search of the systems started",
        ["source.discovered"] = "A system answered the search",
        ["approval.requested"] = "Approval asked of the privacy team",
        ["approval.reminded"] = "Approvers reminded",
        ["approval.escalated"] = "Approval escalated to the fallback approver",
        ["approval.granted"] = "Approved",
        ["information.requested"] = "More information asked of the requester",
        ["information.provided"] = "Requester answered the question",
        ["clock.paused"] = "Statutory clock paused",
        ["clock.resumed"] = "Statutory clock resumed",
        ["clock.extended"] = "Deadline extended",
        ["deadline.reminded"] = "Staff reminded of the coming deadline",
        ["request.overdue"] = "Deadline passed: staff told the request is overdue",
        ["source.executed"] = "A system carried out the request",
        ["execution.failed"] = "A step failed",
        ["execution.retried"] = "Failed steps tried again",
        ["export.building"] = "Export being put together",
        ["export.built"] = "Export ready for the requester",
        ["export.downloaded"] = "Requester downloaded their export",
        ["export.deleted"] = "Export file deleted",
        ["suppression.recorded"] = "Email address added to the marketing suppression list",
        ["restriction.placed"] = "Use of the data restricted",
        ["restriction.lifting"] = "Requester told the restriction will be lifted",
        ["restriction.lifted"] = "Restriction lifted",
        ["recipients.notified"] = "Recipients of the data told of the change",
        ["request.completed"] = "Request completed and the requester told",
        ["request.rejected"] = "Request rejected and the requester told why",
        ["request.expired"] = "Request closed: not confirmed in time",
    };

    /// <summary>An action in words; one not listed reads as its name with spaces ("export.deleted" as "Export deleted").</summary>
    public static string Describe(string action)
    {
        if (Actions.TryGetValue(action, out var text))
        {
            return text;
        }

        var words = action.Replace('.', ' ').Replace('-', ' ').Replace('_', ' ').Trim();
        return words.Length == 0 ? "Recorded" : char.ToUpperInvariant(words[0]) + words[1..];
    }

    /// <summary>Who did it: "the requester", "Ana Lopez (staff)", "the system".</summary>
    public static string Actor(string actor)
    {
        var colon = actor.IndexOf(':', StringComparison.Ordinal);
        var (kind, name) = colon < 0 ? (actor, string.Empty) : (actor[..colon], actor[(colon + 1)..]);
        return kind switch
        {
            "requester" => "the requester",
            "staff" => name.Length > 0 ? name + " (staff)" : "staff",
            "approver" => name.Length > 0 ? name + " (approver)" : "an approver",
            "owner" => "the system's owner",
            "system" => "the system",
            "source" => "a system",
            _ => actor,
        };
    }
}
