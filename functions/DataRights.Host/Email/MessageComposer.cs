using System.Globalization;
using System.Text;
using DataRights.Core.Email;
using DataRights.Core.Requests;
using DataRights.Core.Sources;
using DataRights.Core.Workflow;
using DataRights.Host.Hosting;
using DataRights.Host.Links;
using DataRights.Host.Pages;
using DataRights.Host.Requests;
using DataRights.Host.Workflow;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Email;

/// <summary>
/// Writes the workflow's messages in plain English, as text and HTML, from the request as it is
/// when the message is sent. Every subject carries the reference. Action links are signed.
/// </summary>
public sealed class MessageComposer(
    IOptions<DataRightsOptions> options,
    IOptions<WorkflowOptions> workflow,
    LinkTokens links,
    StatusLinks statusLinks,
    TimeProvider time)
{
    public IReadOnlyList<EmailMessage> Compose(string messageId, DataSubjectRequest r, MessageKind kind, string key)
    {
        var o = options.Value;
        var w = workflow.Value;
        var now = time.GetUtcNow();
        var statusUrl = $"{o.LinkBase}/status/{statusLinks.CreateToken(r.Id)}";
        var what = RequestTexts.Action(r.Type);
        var due = RequestTexts.LongDate(r.Deadline.DueOn);

        switch (kind)
        {
            case MessageKind.Verification:
            {
                var link = $"{o.LinkBase}/verify/{links.Create(LinkPurposes.Verify, r.Id, "verification", r.Email, now + w.VerificationLinkLifetime)}";
                return ToRequester(messageId, r, $"Please confirm your request {r.Reference}", b => b
                    .Para($"Dear {r.FullName},")
                    .Para($"We have received your request to {what}. Your reference is {r.Reference}.")
                    .Para("To protect your data, we need to check that this request came from you. Please confirm by opening this link and pressing the button on the page:")
                    .Link("Confirm my request", link)
                    .Para($"The link works for {Hours(w.VerificationLinkLifetime)} and only once. If you did not make this request, you can ignore this email and nothing will happen.")
                    .Para($"Once you confirm, we will reply by {due} at the latest. You can follow progress at any time:")
                    .Link("See the progress of your request", statusUrl));
            }

            case MessageKind.VerificationReminder:
            {
                var link = $"{o.LinkBase}/verify/{links.Create(LinkPurposes.Verify, r.Id, "verification", r.Email, now + w.VerificationLinkLifetime)}";
                return ToRequester(messageId, r, $"Reminder: please confirm your request {r.Reference}", b => b
                    .Para($"Dear {r.FullName},")
                    .Para($"We are still waiting for you to confirm your request {r.Reference}. We cannot start until you do.")
                    .Link("Confirm my request", link)
                    .Para($"If we do not hear from you by {RequestTexts.LongDate(DateOnly.FromDateTime(r.ReceivedAt.UtcDateTime + w.VerificationExpiresAfter))}, we will close the request. You can always make a new one."));
            }

            case MessageKind.VerificationExpired:
                return ToRequester(messageId, r, $"We have closed your request {r.Reference}", b => b
                    .Para($"Dear {r.FullName},")
                    .Para($"We closed your request {r.Reference} because it was not confirmed in time. We have not acted on it.")
                    .Para($"If you still want us to {what}, please make a new request at {o.LinkBase}/ or write to {o.PrivacyContactEmail}."));

            case MessageKind.InformationRequest:
            {
                var link = $"{o.LinkBase}/information/{links.Create(LinkPurposes.Inform, r.Id, "information-" + key, r.Email, now + TimeSpan.FromDays(30))}";
                return ToRequester(messageId, r, $"We need more information about your request {r.Reference}", b => b
                    .Para($"Dear {r.FullName},")
                    .Para("To carry out your request we need a little more information:")
                    .Quote(r.Progress.InformationQuestion ?? string.Empty)
                    .Link("Reply to this question", link)
                    .Para(r.Progress.Pauses.Any(p => p.Until is null)
                        ? "The time we have to answer you is paused until you reply."
                        : $"We still aim to reply by {due}."));
            }

            case MessageKind.ExtensionNotice:
                return ToRequester(messageId, r, $"We need more time for your request {r.Reference}", b => b
                    .Para($"Dear {r.FullName},")
                    .Para($"The law allows us to take longer to answer a request when it is complex or when we have received several from you. We need to do that for {r.Reference}.")
                    .Para($"Why: {r.Progress.Extension?.Reason}")
                    .Para($"We will now reply by {RequestTexts.LongDate(r.Deadline.DueOn)}.")
                    .Para(Complaint(r.Jurisdiction)));

            case MessageKind.Rejection:
                return ToRequester(messageId, r, $"We could not carry out your request {r.Reference}", b => b
                    .Para($"Dear {r.FullName},")
                    .Para($"We have decided not to carry out your request {r.Reference}.")
                    .Para($"Why: {Reason(r.Progress.Rejection)}{(string.IsNullOrWhiteSpace(r.Progress.RejectionNote) ? string.Empty : " " + r.Progress.RejectionNote)}")
                    .Para(Complaint(r.Jurisdiction)));

            case MessageKind.Completion:
                return ToRequester(messageId, r, $"Your request {r.Reference} is complete", b => Outcomes(b
                    .Para($"Dear {r.FullName},")
                    .Para($"We have finished your request to {what}. This is what we did in each of our systems:"), r)
                    .Para(Complaint(r.Jurisdiction)));

            case MessageKind.ApprovalRequest:
            case MessageKind.ApprovalReminder:
            case MessageKind.ApprovalEscalation:
            {
                var recipients = kind == MessageKind.ApprovalEscalation ? [w.FallbackApprover] : w.Approvers;
                var prefix = kind switch
                {
                    MessageKind.ApprovalReminder => "Reminder: ",
                    MessageKind.ApprovalEscalation => "Escalated: ",
                    _ => string.Empty,
                };
                return [.. recipients.Select((to, i) => Message(messageId + "#" + i.ToString(CultureInfo.InvariantCulture), r, to,
                    $"{prefix}Approval needed for {r.Reference} ({r.Type.Name()}), due {r.Deadline.DueOn:yyyy-MM-dd}",
                    b => Discovery(b
                        .Para($"{r.Reference}: {RequestTexts.Describe(r.Type).Label} ({r.Jurisdiction.Name()}, {r.Deadline.RegimeKey}). Due {due}.")
                        .Para(kind == MessageKind.ApprovalEscalation ? "The approvers have not answered in time, so this comes to you." : "Please review what we found and decide.")
                        .Para(r.Progress.InformationAnswer is { } answer ? $"The requester answered your question: {answer}" : string.Empty), r)
                        .Link("Review and decide", $"{o.LinkBase}/approve/{links.Create(LinkPurposes.Approve, r.Id, "approval-" + r.Progress.ApprovalRound.ToString(CultureInfo.InvariantCulture), to, now + w.StaffLinkLifetime)}")))];
            }

            case MessageKind.StaffDeadlineReminder:
                return [Message(messageId, r, w.StaffAlerts, $"Due soon: {r.Reference} is due {r.Deadline.DueOn:yyyy-MM-dd}", b => b
                    .Para($"{r.Reference} ({r.Type.Name()}) must be answered by {due}. It is {r.Status.Name().Replace('_', ' ')}."))];

            case MessageKind.StaffOverdue:
                return [Message(messageId, r, w.StaffAlerts, $"Overdue: {r.Reference} was due {r.Deadline.DueOn:yyyy-MM-dd}", b => b
                    .Para($"{r.Reference} ({r.Type.Name()}) was due on {due} and is still {r.Status.Name().Replace('_', ' ')}. Please act today."))];

            case MessageKind.StaffFailure:
                return [Message(messageId, r, w.StaffAlerts, $"Needs attention: {r.Reference} has a step that failed", b => b
                    .Para($"A step of {r.Reference} ({r.Type.Name()}) failed after every retry and needs you. The request is {r.Status.Name().Replace('_', ' ')}.")
                    .Para(string.Join(" ", r.Progress.Sources.Where(s => s.Execution == StepState.Failed || s.Discovery == StepState.Failed)
                        .Select(s => $"{s.DisplayName}: {s.ExecutionError ?? s.DiscoveryError}.")))
                    .Para(string.Join(" ", r.Progress.Alerts.Select(a => $"Work item {a.WorkItemId} ({a.Kind}): {a.Error}."))))];

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown message kind.");
        }
    }

    private IReadOnlyList<EmailMessage> ToRequester(string id, DataSubjectRequest r, string subject, Func<Body, Body> write) =>
        [Message(id, r, r.Email, subject, write)];

    private EmailMessage Message(string id, DataSubjectRequest r, string to, string subject, Func<Body, Body> write)
    {
        var body = write(new Body()).Para($"{options.Value.OperatorName} · {options.Value.PrivacyContactEmail}");
        return new EmailMessage(id, r.Id, to, subject, body.Text, body.ToHtml(subject), body.Links);
    }

    private static Body Discovery(Body b, DataSubjectRequest r)
    {
        foreach (var s in r.Progress.Sources)
        {
            b.Item(s.Discovery switch
            {
                StepState.Succeeded when s.Findings is { RecordCount: > 0 } f => $"{s.DisplayName}: {f.RecordCount} record(s) ({string.Join(", ", f.Categories)}){(f.AccountReferenceMatched ? ", account reference matched" : string.Empty)}.",
                StepState.Succeeded => $"{s.DisplayName}: nothing found.",
                StepState.Failed => $"{s.DisplayName}: FAILED ({s.DiscoveryError}). Its data may not be covered.",
                _ => $"{s.DisplayName}: no answer yet.",
            });
        }

        return r.Progress.Sources.Count == 0 ? b.Para("No data sources are registered.") : b;
    }

    private static Body Outcomes(Body b, DataSubjectRequest r)
    {
        foreach (var s in r.Progress.Sources)
        {
            var o = s.Outcome;
            b.Item(s.Execution switch
            {
                StepState.Succeeded when o is not null => Describe(s.DisplayName, o),
                StepState.NotRequired => $"{s.DisplayName}: we can only read this system, so nothing was changed there.",
                _ when s.Findings is { RecordCount: 0 } => $"{s.DisplayName}: we hold nothing about you here.",
                _ => $"{s.DisplayName}: nothing to do.",
            });
        }

        return b;
    }

    private static string Describe(string source, ExecutionOutcome o)
    {
        var parts = new List<string>();
        if (o.Erased > 0)
        {
            parts.Add($"deleted {o.Erased} record(s)");
        }

        if (o.Masked > 0)
        {
            parts.Add($"anonymised {o.Masked} record(s)");
        }

        if (o.Exported > 0)
        {
            parts.Add($"copied {o.Exported} record(s) for you");
        }

        if (o.Corrected > 0)
        {
            parts.Add($"corrected {o.Corrected} record(s)");
        }

        var text = new StringBuilder(source).Append(": ").Append(parts.Count > 0 ? string.Join(", ", parts) : "no change was needed").Append('.');
        foreach (var kept in o.Retained)
        {
            text.Append(CultureInfo.InvariantCulture, $" We kept {kept.Count} {kept.Category} record(s) because {kept.LegalBasis}")
                .Append(kept.RetainedUntil is { } until ? $", until {RequestTexts.LongDate(until)}, when they will be deleted." : ".");
        }

        if (o.Note is not null)
        {
            text.Append(' ').Append(o.Note);
        }

        return text.ToString();
    }

    private string Complaint(Jurisdiction jurisdiction) => jurisdiction switch
    {
        Jurisdiction.UK => $"If you are unhappy with how we handled your request, please tell us at {options.Value.PrivacyContactEmail}. You also have the right to complain to the Information Commissioner's Office (ICO): ico.org.uk/make-a-complaint, 0303 123 1113.",
        Jurisdiction.EU => $"If you are unhappy with how we handled your request, please tell us at {options.Value.PrivacyContactEmail}. You also have the right to complain to the data protection authority where you live or work.",
        Jurisdiction.UsCa => $"If you are unhappy with how we handled your request, please tell us at {options.Value.PrivacyContactEmail}. You may also contact the California Privacy Protection Agency or the California Attorney General.",
        Jurisdiction.BR => $"If you are unhappy with how we handled your request, please tell us at {options.Value.PrivacyContactEmail}. You may also petition the ANPD (Autoridade Nacional de Proteção de Dados).",
        _ => $"If you are unhappy with how we handled your request, please tell us at {options.Value.PrivacyContactEmail}. You may also have the right to complain to your data protection authority.",
    };

    private static string Reason(RejectionReason? reason) => reason switch
    {
        RejectionReason.InsufficientVerification => "we could not confirm that the request came from you.",
        RejectionReason.NoMatch => "we could not find any personal data about you.",
        RejectionReason.ManifestlyUnfounded => "the request is manifestly unfounded.",
        RejectionReason.Excessive => "the request is excessive, for example because it repeats a recent one.",
        RejectionReason.OutsideJurisdiction => "the law this request relies on does not apply to the data we hold about you.",
        RejectionReason.Duplicate => "it repeats a request we are already handling.",
        RejectionReason.Withdrawn => "you withdrew it.",
        _ => "of the reason our privacy team gives below.",
    };

    private static string Hours(TimeSpan span) => span.TotalHours % 24 == 0 && span.TotalHours >= 48
        ? $"{span.TotalDays:0} days"
        : $"{span.TotalHours:0} hours";

    /// <summary>Builds the text and HTML bodies side by side; every value is escaped in the HTML.</summary>
    private sealed class Body
    {
        private readonly StringBuilder _text = new();
        private readonly StringBuilder _html = new();
        private bool _inList;

        public List<string> Links { get; } = [];

        public string Text => _text.ToString();

        public Body Para(string text)
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                EndList();
                _text.Append(text).Append("\r\n\r\n");
                _html.Append(Html.Of($"<p>{text}</p>\n").Value);
            }

            return this;
        }

        public Body Item(string text)
        {
            _inList = true;
            _text.Append("- ").Append(text).Append("\r\n");
            _html.Append(Html.Of($"<p>• {text}</p>\n").Value);
            return this;
        }

        public Body Quote(string text)
        {
            EndList();
            _text.Append("    ").Append(text).Append("\r\n\r\n");
            _html.Append(Html.Of($"<blockquote>{text}</blockquote>\n").Value);
            return this;
        }

        public Body Link(string label, string url)
        {
            EndList();
            Links.Add(url);
            _text.Append(label).Append(": ").Append(url).Append("\r\n\r\n");
            _html.Append(Html.Of($"<p><a href=\"{url}\">{label}</a></p>\n").Value);
            return this;
        }

        private void EndList()
        {
            if (_inList)
            {
                _text.Append("\r\n");
                _inList = false;
            }
        }

        public string ToHtml(string subject) => Html.Of($"""
            <!DOCTYPE html>
            <html lang="en-GB"><head><meta charset="utf-8"><title>{subject}</title></head>
            <body style="font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#0b0c0c;max-width:40em">
            {new HtmlString(_html.ToString())}
            </body></html>
            """).Value;
    }
}
