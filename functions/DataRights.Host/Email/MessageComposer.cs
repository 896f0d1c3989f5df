using System.Globalization;
using System.Text;
using DataRights.Core.Email;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Retention;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Core.Text;
using DataRights.Core.Verification;
using DataRights.Core.Workflow;
using DataRights.Host.Hosting;
using DataRights.Host.Links;
using DataRights.Host.Pages;
using DataRights.Host.Requests;
using DataRights.Host.Retention;
using DataRights.Host.Workflow;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Email;

/// <summary>
/// Gathers the values a message needs from the request as it is when the message is sent, signs
/// its action links, and renders it from its template. Every subject carries the reference.
/// </summary>
public sealed class MessageComposer(
    IOptions<DataRightsOptions> options,
    IOptions<WorkflowOptions> workflow,
    MessageTemplates templates,
    LinkTokens links,
    StatusLinks statusLinks,
    IDataSourceRegistry sources,
    IOptions<Verification.VerificationOptions> verification,
    Core.Deadlines.DeadlineRegimes regimes,
    TimeProvider time)
{
    /// <summary>The plain name of the law whose clock <paramref name="r"/> runs on ("UK GDPR"), never its key.</summary>
    public static string RegimeName(Core.Deadlines.DeadlineRegimes regimes, DataSubjectRequest r)
    {
        ArgumentNullException.ThrowIfNull(regimes);
        ArgumentNullException.ThrowIfNull(r);
        return regimes.All.FirstOrDefault(g => g.Key == r.Deadline.RegimeKey)?.Name ?? regimes.For(r.Jurisdiction).Name;
    }

    private readonly Lazy<Core.Verification.VerificationPolicy> _policy = new(() => verification.Value.ToPolicy());

    public IReadOnlyList<EmailMessage> Compose(string messageId, DataSubjectRequest r, MessageKind kind, string key) => Compose(messageId, r, kind, key, null);

    /// <summary>As above; <paramref name="recipients"/> (per source key, who its data is shared with) lets the completion tell the person (Art. 19).</summary>
    public IReadOnlyList<EmailMessage> Compose(string messageId, DataSubjectRequest r, MessageKind kind, string key, IReadOnlyDictionary<string, IReadOnlyList<SourceRecipient>>? recipients)
    {
        var o = options.Value;
        var w = workflow.Value;
        var now = time.GetUtcNow();
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["name"] = r.FullName,
            ["reference"] = r.Reference,
            ["action"] = RequestTexts.Action(r.Type),
            ["type"] = r.Type.Name(),
            ["typeLabel"] = RequestTexts.Describe(r.Type).Label,
            ["jurisdiction"] = RequestTexts.Describe(r.Jurisdiction),
            ["regime"] = RegimeName(regimes, r),
            ["status"] = RequestLifecycle.Phrase(r.Status),
            ["dueDate"] = RequestTexts.LongDate(r.Deadline.DueOn),
            ["dueDay"] = RequestTexts.ShortDate(r.Deadline.DueOn),
            ["statusLink"] = $"{o.LinkBase}/status/{statusLinks.CreateToken(r.Id)}",
            ["formLink"] = o.LinkBase + "/",
            ["privacyEmail"] = o.PrivacyContactEmail,
            ["linkLifetime"] = Duration(w.VerificationLinkLifetime),
            // A round expires after its own start: the request's receipt, or when the person was asked for their details again.
            ["expiresOn"] = RequestTexts.LongDate(DateOnly.FromDateTime(
                ((r.Progress.Identity is { Outcome: IdentityCheckOutcome.AskedAgain, AskedAgainAt: { } asked } ? asked : r.ReceivedAt) + w.VerificationExpiresAfter).UtcDateTime)),
            ["question"] = r.Progress.InformationQuestion,
            ["clockNote"] = StatutoryClock.IsPaused(r.Progress) ? "The time we have to answer you is paused until you reply." : $"We still aim to reply by {RequestTexts.LongDate(r.Deadline.DueOn)}.",
            ["staffClockNote"] = StatutoryClock.IsPaused(r.Progress) ? "The time to answer the request is paused until they reply." : $"The request must still be answered by {RequestTexts.LongDate(r.Deadline.DueOn)}.",
            ["extensionReason"] = r.Progress.Extension?.Reason,
            ["rejectionReason"] = Reason(r.Progress.Rejection),
            ["rejectionNote"] = r.Progress.RejectionNote,
            ["identity"] = "Identity: " + Verification.IdentityTexts.ForStaff(r),
            ["answerNote"] = r.Progress.InformationAnswer is { } answer
                ? (r.Progress.InformationQuestion is { } question ? $"You asked the requester: \"{question}\" They answered: \"{answer}\"" : $"The requester answered your question: {answer}")
                : null,
            ["complaint"] = $"If you are unhappy with how we handled your request, please tell us at {o.PrivacyContactEmail}. You also have the right to complain to {Authority(r.Jurisdiction)}.",
            // A refusal under the GDPR names the courts too (UK and EU GDPR Art. 12(4)): "seeking a judicial remedy".
            ["remedy"] = r.Jurisdiction is Jurisdiction.UK or Jurisdiction.EU ? "You can also ask a court to make us act on your request." : null,
        };
        var lists = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["findings"] = Findings(r),
            ["outcomes"] = Outcomes(r, recipients),
            ["failures"] = Failures(r),
            ["categories"] = CategoriesHeld(r),
        };
        var footer = $"{o.OperatorName}, {o.OperatorAddress}. Privacy questions: {o.PrivacyContactEmail}";

        switch (kind)
        {
            case MessageKind.Verification or MessageKind.VerificationReminder or MessageKind.VerificationNotMatched:
                values["verifyNote"] = VerifyNote(r);
                values["alsoAsked"] = kind == MessageKind.Verification && RequestDecider.AlsoAskedIn(key) is { } alsoAsked
                    ? $"We also received a request from this email address to {RequestTexts.Action(alsoAsked)}. While a request is waiting for you to confirm it, we do not start another one, so we have not registered that request. Once you have confirmed this one, please send the other request again."
                    : null;
                values["verifyLink"] = $"{o.LinkBase}/verify/{links.Create(LinkPurposes.Verify, r.Id, ActionStep.VerificationIn(RequestDecider.VerificationRoundOf(r)).Format(), r.Email, now + w.VerificationLinkLifetime)}";
                break;
            case MessageKind.InformationRequest or MessageKind.InformationReminder:
                values["informationLink"] = $"{o.LinkBase}/information/{links.Create(LinkPurposes.Inform, r.Id, ActionStep.Information(int.Parse(key, CultureInfo.InvariantCulture)).Format(), r.Email, now + TimeSpan.FromDays(30))}";
                break;
            case MessageKind.ApprovalRequest or MessageKind.ApprovalReminder or MessageKind.ApprovalEscalation:
                var approvers = kind == MessageKind.ApprovalEscalation ? [w.FallbackApprover] : w.Approvers;
                var step = ActionStep.Approval(r.Progress.ApprovalRound).Format();
                return [.. approvers.Select(to =>
                {
                    values["approvalLink"] = $"{o.LinkBase}/approve/{links.Create(LinkPurposes.Approve, r.Id, step, to, now + w.StaffLinkLifetime)}";
                    return Build(ForRecipient(messageId, to), r, to, kind, templates.Render(kind, values, lists, footer));
                })];
            case MessageKind.ExportReady when r.Progress.Export is { } export:
                values["downloadLink"] = $"{o.LinkBase}/download/{links.Create(LinkPurposes.Download, r.Id, "export-" + key, r.Email, export.ExpiresAt)}";
                values["exportSize"] = Size(export.Bytes);
                values["exportRecords"] = Plural.Count(export.Records, "record");
                values["exportWhat"] = r.Type == RequestType.Portability ? "A copy of the data you gave us" : "A copy of the data we hold about you";
                values["exportExpires"] = RequestTexts.LongDate(DateOnly.FromDateTime(export.ExpiresAt.UtcDateTime));
                break;
            case MessageKind.RestrictionLifting when r.Progress.Restriction is { LiftAt: { } liftAt } restriction:
                values["liftDate"] = RequestTexts.LongDate(DateOnly.FromDateTime(liftAt.UtcDateTime));
                values["liftReason"] = restriction.LiftReason;
                break;
            case MessageKind.HeldRecordsErased:
                values["sourceName"] = r.Progress.Source(key)?.DisplayName ?? "one of our systems";
                break;
            case MessageKind.ManualTask:
                throw new InvalidOperationException("Manual tasks are composed with ComposeManualTask, which knows the source and its owner.");
            case MessageKind.PurgeTask:
                throw new InvalidOperationException("Purge tasks are composed with ComposePurgeTask, which knows the source, the rule and the owner.");
            case MessageKind.RecipientNotice or MessageKind.StaffRecipientTask:
                throw new InvalidOperationException("Art. 19 notices are composed with ComposeRecipientNotices, which knows the recipients.");
            case MessageKind.StaffDigest:
                throw new InvalidOperationException("The digest covers many requests: it is composed with ComposeDigest.");
            case MessageKind.StaffWorkflowStopped:
                throw new InvalidOperationException("The workflow check's alert is composed with ComposeWorkflowStopped, which knows what it found.");
            case MessageKind.StaffSubmissionSetAside:
                throw new InvalidOperationException("A submission set aside has no request yet: its alert is composed with ComposeSubmissionSetAside.");
            case MessageKind.StaffDeadlineReminder or MessageKind.StaffOverdue or MessageKind.StaffFailure or MessageKind.StaffInformationUnanswered:
                return [Build(messageId, r, w.StaffAlerts, kind, templates.Render(kind, values, lists, footer))];
        }

        return [Build(messageId, r, r.Email, kind, templates.Render(kind, values, lists, footer))];
    }

    /// <summary>
    /// Art. 19 notices for one request: to each recipient with an address, what was done to whose data at
    /// which source; and one message to staff listing the recipients with no address, to tell by hand.
    /// </summary>
    public IReadOnlyList<EmailMessage> ComposeRecipientNotices(string messageId, DataSubjectRequest r, IReadOnlyList<(SourceProgress Source, SourceRecipient Recipient)> notices)
    {
        var o = options.Value;
        var footer = $"{o.OperatorName}, {o.OperatorAddress}. Privacy questions: {o.PrivacyContactEmail}";
        var done = r.Type switch
        {
            RequestType.Erasure => "erased",
            RequestType.Rectification => "corrected",
            RequestType.Restriction => "restricted the use of",
            _ => "changed",
        };
        var what = r.Type == RequestType.Restriction ? "use of personal data restricted" : "personal data " + done;
        var messages = new List<EmailMessage>();
        foreach (var group in notices.Where(n => n.Recipient.Email is not null).GroupBy(n => n.Recipient.Email!, StringComparer.Ordinal))
        {
            var values = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["reference"] = r.Reference,
                ["operator"] = o.OperatorName,
                ["done"] = done,
                ["what"] = what,
                ["law"] = RecipientNotification.Law(r.Jurisdiction),
                ["name"] = r.FullName,
                ["email"] = r.Email,
                ["corrections"] = CorrectionsMadeAt(r, [.. group.Select(n => n.Source)]) is { Count: > 0 } made
                    ? "The corrected details: " + string.Join("; ", made.Select(c => $"{Correction.PlainName(c.Field)}: {c.Value}")) + "."
                    : "",
                ["privacyEmail"] = o.PrivacyContactEmail,
            };
            var lists = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["sources"] = [.. group.Select(n => n.Source.DisplayName).Distinct()] };
            messages.Add(Build(ForRecipient(messageId, group.Key), r, group.Key, MessageKind.RecipientNotice, templates.Render(MessageKind.RecipientNotice, values, lists, footer)));
        }

        // Staff tell these by hand: each line says what to pass on, as a notice by email would.
        var byHand = notices.Where(n => n.Recipient.Email is null).GroupBy(n => n.Recipient.Name, StringComparer.Ordinal).Select(g =>
        {
            var made = CorrectionsMadeAt(r, [.. g.Select(n => n.Source)]);
            return $"{g.Key} (data from {string.Join(", ", g.Select(n => n.Source.DisplayName).Distinct())})"
                + (made.Count > 0 ? ": tell them the corrected " + string.Join("; ", made.Select(c => $"{Correction.PlainName(c.Field)}, {c.Value}")) : string.Empty);
        }).ToList();
        if (byHand.Count > 0)
        {
            var values = new Dictionary<string, string?>(StringComparer.Ordinal) { ["reference"] = r.Reference, ["done"] = done, ["what"] = what, ["name"] = r.FullName, ["email"] = r.Email, ["lawCite"] = RecipientNotification.Cite(r.Jurisdiction) };
            var lists = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["recipients"] = byHand };
            messages.Add(Build(messageId + "#staff", r, workflow.Value.StaffAlerts, MessageKind.StaffRecipientTask, templates.Render(MessageKind.StaffRecipientTask, values, lists, footer)));
        }

        return messages;
    }

    /// <summary>
    /// The corrections a recipient is told of: those made at one or more of the sources it had data from. A detail a
    /// source said it did not change (it does not hold it) is not news to that source's recipients, and telling them would
    /// disclose it; a source that does not say is taken to have made every correction.
    /// </summary>
    private static List<Correction> CorrectionsMadeAt(DataSubjectRequest r, IReadOnlyList<SourceProgress> sources) =>
        r.Progress.Approval?.Instructions is { Corrections.Count: > 0 } ins
            ? [.. ins.Corrections.Where(c => sources.Any(s => s.Outcome?.NotCorrected is not { } unchanged || !unchanged.Contains(c.Field, StringComparer.Ordinal)))]
            : [];

    /// <summary>
    /// The id of one message of several (approvers, recipients told of a change) that one work item sends: the item's id
    /// and a hash of the address (no address in the id). A retried item sends each address under the id it had before,
    /// so a list that changed between tries (an approver or a recipient removed) skips nobody and sends nobody twice, as
    /// ids by position in the list would.
    /// </summary>
    public static string ForRecipient(string messageId, string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(address.Trim().ToLowerInvariant()));
        return messageId + "#" + Convert.ToHexStringLower(hash)[..16];
    }

    /// <summary>
    /// The staff digest: requests past their due date, and those due within three days; and the requests received but set
    /// aside, not taken in (<paramref name="setAside"/>, each with its due date counted from its arrival when its place is known).
    /// </summary>
    public EmailMessage ComposeDigest(string messageId, DateOnly date, IReadOnlyList<DataSubjectRequest> overdue, IReadOnlyList<DataSubjectRequest> soon,
        IReadOnlyList<(ReceivedSubmission Submission, DateOnly? DueOn)>? setAside = null)
    {
        setAside ??= [];
        var o = options.Value;
        static string Line(DataSubjectRequest r) => $"{r.Reference} ({r.Type.Name()}, {RequestTexts.Describe(r.Jurisdiction)}): due {RequestTexts.LongDate(r.Deadline.DueOn)}, {RequestLifecycle.Phrase(r.Status)}";
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["date"] = RequestTexts.LongDate(date),
            ["overdueCount"] = overdue.Count.ToString(CultureInfo.InvariantCulture),
            ["soonCount"] = soon.Count.ToString(CultureInfo.InvariantCulture),
            ["overdueHeading"] = overdue.Count > 0 ? "Past their due date (act today):" : "Nothing is overdue.",
            ["soonHeading"] = soon.Count > 0 ? "Due within 3 days:" : "Nothing else is due within 3 days.",
            ["setAsideHeading"] = setAside.Count > 0 ? $"Received but set aside, not taken in (see them in the staff console: {o.LinkBase}{StaffConsole.ConsoleRoutes.SetAside}):" : null,
        };
        var lists = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["overdue"] = [.. overdue.Select(Line)],
            ["soon"] = [.. soon.Select(Line)],
            ["setAside"] = [.. setAside.Select(a => SetAsideLine(a.Submission, a.DueOn, o.DefaultJurisdiction))],
        };
        var m = templates.Render(MessageKind.StaffDigest, values, lists, $"{o.OperatorName}, {o.OperatorAddress}.");
        return new EmailMessage(messageId, "digest", workflow.Value.StaffAlerts, m.Subject, m.Text, m.Html, m.Links, MessageKind.StaffDigest);
    }

    /// <summary>
    /// To staff: <paramref name="r"/>'s workflow stopped again after <paramref name="restarts"/> restarts
    /// (<paramref name="found"/> in words), so nothing moves the request until it runs; it is started again at
    /// <paramref name="nextTry"/>. Sent by the hourly workflow check, which runs outside the stopped workflow.
    /// </summary>
    public EmailMessage ComposeWorkflowStopped(string messageId, DataSubjectRequest r, string found, int restarts, DateTimeOffset nextTry)
    {
        ArgumentNullException.ThrowIfNull(r);
        var o = options.Value;
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["reference"] = r.Reference,
            ["type"] = r.Type.Name(),
            ["status"] = RequestLifecycle.Phrase(r.Status),
            ["dueDate"] = RequestTexts.LongDate(r.Deadline.DueOn),
            ["dueDay"] = RequestTexts.ShortDate(r.Deadline.DueOn),
            ["found"] = found,
            ["restarts"] = Plural.Count(restarts, "time"),
            ["nextTry"] = RequestTexts.LongDate(DateOnly.FromDateTime(nextTry.UtcDateTime)) + " at " + nextTry.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture) + " UTC",
            ["clockNote"] = RequestLifecycle.IsFinal(r.Status)
                ? "The request itself is closed: what waits is its work after the close, such as deleting the person's download file when its link expires."
                : StatutoryClock.IsPaused(r.Progress)
                ? "Its statutory clock is paused while we wait for the person."
                : $"Its statutory deadline, {RequestTexts.LongDate(r.Deadline.DueOn)}, still runs: handle it by hand from the staff console if the fault is not fixed in time.",
        };
        var m = templates.Render(MessageKind.StaffWorkflowStopped, values, new Dictionary<string, IReadOnlyList<string>>(), $"{o.OperatorName}, {o.OperatorAddress}.");
        return Build(messageId, r, workflow.Value.StaffAlerts, MessageKind.StaffWorkflowStopped, m);
    }

    private static string SetAsideLine(ReceivedSubmission s, DateOnly? dueOn, string defaultJurisdiction)
    {
        var (right, jurisdiction) = StaffConsole.SetAsidePage.Describe(s.Submission, defaultJurisdiction);
        var place = jurisdiction is { } j ? j.Name() : "place not recognised";
        var due = dueOn is { } on ? "due " + RequestTexts.LongDate(on) : "due date not known";
        return $"{right.ToLowerInvariant()} received {RequestTexts.LongDate(DateOnly.FromDateTime(s.ReceivedAt.UtcDateTime))} ({place}): {due}";
    }

    /// <summary>
    /// To staff: the submission <paramref name="s"/> is set aside, kept but not taken in, as its taking in kept stopping the
    /// program (<paramref name="setAside"/>); where to see it (the console's page of submissions set aside). What the person
    /// sent is not in the email: only when it came, the right asked for and the jurisdiction; the console shows the rest.
    /// </summary>
    public EmailMessage ComposeSubmissionSetAside(string messageId, ReceivedSubmission s, SubmissionSetAside setAside)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(setAside);
        var o = options.Value;
        var (right, jurisdiction) = StaffConsole.SetAsidePage.Describe(s.Submission, o.DefaultJurisdiction);
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["receivedDate"] = RequestTexts.LongDate(DateOnly.FromDateTime(s.ReceivedAt.UtcDateTime)),
            ["receivedTime"] = s.ReceivedAt.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture) + " UTC",
            ["right"] = right.ToLowerInvariant(),
            ["jurisdiction"] = jurisdiction is { } j ? RequestTexts.Describe(j) : "jurisdiction not recognised",
            ["why"] = StaffConsole.SetAsidePage.Why(setAside),
            ["logEvent"] = setAside.Failure is null ? "3454" : "3457",
            ["setAsideDate"] = RequestTexts.LongDate(DateOnly.FromDateTime(setAside.At.UtcDateTime)),
            ["submissionId"] = s.Id,
            ["consoleLink"] = o.LinkBase + StaffConsole.ConsoleRoutes.SetAside,
        };
        var m = templates.Render(MessageKind.StaffSubmissionSetAside, values, new Dictionary<string, IReadOnlyList<string>>(), $"{o.OperatorName}, {o.OperatorAddress}.");
        return new EmailMessage(messageId, s.Id, workflow.Value.StaffAlerts, m.Subject, m.Text, m.Html, m.Links, MessageKind.StaffSubmissionSetAside);
    }

    /// <summary>The task emailed to a manual source's owner: search for the person (<c>discover</c>) or carry out the request (<c>execute</c>).</summary>
    public EmailMessage ComposeManualTask(string messageId, DataSubjectRequest r, string sourceKey, string sourceName, string step, string owner)
    {
        var o = options.Value;
        var discover = ActionStep.Parse(step)?.Kind == ActionStepKind.Discover;
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["reference"] = r.Reference,
            ["action"] = RequestTexts.Action(r.Type),
            ["jurisdiction"] = RequestTexts.Describe(r.Jurisdiction),
            ["dueDate"] = RequestTexts.LongDate(r.Deadline.DueOn),
            ["sourceName"] = sourceName,
            ["name"] = r.FullName,
            ["email"] = r.Email,
            ["accountReference"] = r.AccountReference ?? "none given",
            ["taskTitle"] = discover ? "search for a person" : "carry out the request",
            ["taskText"] = discover
                ? $"Please search {sourceName} for this person and record how many records you found, and of which kinds. Change nothing yet."
                : $"The request was approved. Please {RequestTexts.Action(r.Type).Replace("your", "their", StringComparison.Ordinal)} in {sourceName}, keeping only what the law makes us keep, and record what you did.",
            ["taskLink"] = $"{o.LinkBase}/task/{links.Create(LinkPurposes.Task, r.Id, step, owner, time.GetUtcNow() + TimeSpan.FromDays(14))}",
        };
        var footer = $"{o.OperatorName}, {o.OperatorAddress}. Privacy questions: {o.PrivacyContactEmail}";
        return Build(messageId, r, owner, MessageKind.ManualTask, templates.Render(MessageKind.ManualTask, values, new Dictionary<string, IReadOnlyList<string>>(), footer));
    }

    /// <summary>
    /// The task emailed to a manual source's owner when a retention rule says records have run out: what to
    /// delete (category, cutoff, the rule and its reason), a word on legal holds, and a signed link to confirm.
    /// </summary>
    public EmailMessage ComposePurgeTask(string messageId, ManualPurgeTask task, string taskToken)
    {
        var o = options.Value;
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["run"] = task.RunId,
            ["region"] = task.Region,
            ["sourceName"] = task.SourceName,
            ["category"] = Category(task.SourceKey, task.Category),
            ["cutoffDate"] = RequestTexts.LongDate(task.Cutoff),
            ["rule"] = task.Rule,
            ["basis"] = task.Basis,
            ["holds"] = task.PeopleOnHold > 0
                ? $"Do not delete records of the {Plural.Count(task.PeopleOnHold, "person", "people")} under a legal hold: ask the privacy team ({o.PrivacyContactEmail}) who they are before you start."
                : "Nobody is under a legal hold at the moment.",
            ["taskLink"] = $"{o.LinkBase}/purge-task/{taskToken}",
        };
        var footer = $"{o.OperatorName}, {o.OperatorAddress}. Privacy questions: {o.PrivacyContactEmail}";
        var m = templates.Render(MessageKind.PurgeTask, values, new Dictionary<string, IReadOnlyList<string>>(), footer);
        return new EmailMessage(messageId, task.RunId, task.Owner, m.Subject, m.Text, m.Html, m.Links, MessageKind.PurgeTask);
    }

    /// <summary>What the verification page will ask for besides the button, so the person can have it ready; empty when nothing.</summary>
    private string VerifyNote(DataSubjectRequest r)
    {
        // Details sent with the request are not asked for again on the page.
        var level = _policy.Value.AskedOnPage(r);
        var points = verification.Value.Definitions();
        var examples = Plural.List([.. points.Take(2).Select(p => p.Label.ToLowerInvariant())]).Replace(" and ", " or ", StringComparison.Ordinal);
        return (level.DataPoints, level.Declaration) switch
        {
            (0, false) => string.Empty,
            (0, true) => "On that page we will also ask you to sign a declaration that you are the person this request is about.",
            (var n, var declaration) => $"On that page we will also ask you for {Plural.Count(n, "detail")} we hold about you (such as your {examples}), to check against our records{(declaration ? ", and to sign a declaration that you are the person this request is about" : string.Empty)}.",
        };
    }

    /// <summary>The categories of personal information found, by system, for a request answered with categories.</summary>
    private List<string> CategoriesHeld(DataSubjectRequest r)
    {
        var held = r.Progress.Sources.Where(s => s.Findings is { RecordCount: > 0 })
            .Select(s => $"{s.DisplayName}: {string.Join(", ", s.Findings!.Categories.Select(c => Category(s.Key, c)))}.")
            .ToList();
        return held.Count > 0 ? held : ["We found no personal information about you in our systems."];
    }

    private static EmailMessage Build(string id, DataSubjectRequest r, string to, MessageKind kind, RenderedMessage m) =>
        new(id, r.Id, to, m.Subject, m.Text, m.Html, m.Links, kind);

    private string Authority(Jurisdiction jurisdiction) => SupervisoryAuthorities.For(options.Value, jurisdiction);

    /// <summary>What a source's category is called where people read it (its registered display name).</summary>
    private string Category(string sourceKey, string category) =>
        sources.ActiveSources().FirstOrDefault(s => s.Key == sourceKey)?.CategoryName(category) ?? CategoryNames.FromKey(category);

    private List<string> Findings(DataSubjectRequest r) =>
        r.Progress.Sources.Count == 0
            ? ["No data sources are registered."]
            : [.. r.Progress.Sources.Select(s => s.Discovery switch
            {
                StepState.Succeeded when s.Findings is { RecordCount: > 0 } f => $"{s.DisplayName}: {Plural.Count(f.RecordCount, "record")} ({string.Join(", ", f.Categories.Select(c => Category(s.Key, c)))}){(f.AccountReferenceMatched ? ", account reference matched" : string.Empty)}.",
                StepState.Succeeded => $"{s.DisplayName}: nothing found.",
                StepState.Failed => $"{s.DisplayName}: FAILED ({s.DiscoveryError}). Its data may not be covered.",
                _ => $"{s.DisplayName}: no answer yet.",
            })];

    private List<string> Outcomes(DataSubjectRequest r, IReadOnlyDictionary<string, IReadOnlyList<SourceRecipient>>? recipients) =>
        [.. r.Progress.Sources.Select(s => s.Execution switch
        {
            StepState.Succeeded when s.Outcome is { } o && s.Changed && RequestDecider.TellsRecipients(r.Type) && recipients?.GetValueOrDefault(s.Key) is { Count: > 0 } shared =>
                Describe(r, s, Reported(r, s, o)) + " " + Shared(shared),
            StepState.Succeeded when s.Outcome is { } o => Describe(r, s, Reported(r, s, o)),
            StepState.NotRequired => $"{s.DisplayName}: we can only read this system, so nothing was changed there.",
            _ when s.Findings is { RecordCount: 0 } => $"{s.DisplayName}: we hold nothing about you here.",
            _ => $"{s.DisplayName}: nothing to do.",
        })];

    /// <summary>Who else holds this data and who tells them: we email those with an address; staff tell the others.</summary>
    private static string Shared(IReadOnlyList<SourceRecipient> shared)
    {
        var told = Plural.List([.. shared.Where(x => x.Email is not null).Select(x => Plural.InSentence(x.Name))]);
        var byHand = Plural.List([.. shared.Where(x => x.Email is null).Select(x => Plural.InSentence(x.Name))]);
        return (told, byHand) switch
        {
            (_, "") => $"We shared this data with {told}, and have told them of this change.",
            ("", _) => $"We shared this data with {byHand}; our privacy team will tell them of this change.",
            _ => $"We shared this data with others, who are told of this change: we have told {told}; our privacy team will tell {byHand}.",
        };
    }

    /// <summary>
    /// What to tell the person a source did. A step retried after a crash reports its second run, which
    /// finds the work already done (zero counts); the person is told what the search found was erased.
    /// </summary>
    private static ExecutionOutcome Reported(DataSubjectRequest r, SourceProgress s, ExecutionOutcome o)
    {
        var kept = o.Retained.Sum(x => x.Count);
        return r.Type == RequestType.Erasure && o.Erased + o.Masked == 0 && s.Findings is { RecordCount: var found } && found > kept
            ? o with { Note = $"We erased the {Plural.Count(found - kept, "record")} we found here." + (o.Note is null ? string.Empty : " " + o.Note) }
            : o;
    }

    /// <summary>A file size people read: 12 KB, 3.4 MB.</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => bytes.ToString(CultureInfo.InvariantCulture) + " bytes",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0", CultureInfo.InvariantCulture) + " KB",
        _ => (bytes / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MB",
    };

    private static List<string> Failures(DataSubjectRequest r) =>
        [.. r.Progress.Sources.Where(s => s.Execution == StepState.Failed || s.Discovery == StepState.Failed).Select(s => $"{s.DisplayName}: {s.ExecutionError ?? s.DiscoveryError}."),
         .. r.Progress.Alerts.Select(a => WorkDescriptions.Failure(a))];

    private string Describe(DataSubjectRequest r, SourceProgress source, ExecutionOutcome o)
    {
        var parts = new List<string>();
        if (o.Erased > 0)
        {
            parts.Add($"deleted {Plural.Count(o.Erased, "record")}");
        }

        if (o.Masked > 0)
        {
            parts.Add($"anonymised {Plural.Count(o.Masked, "record")}");
        }

        // A portable copy holds only what the person gave us: the package's count from this source, not all it copied.
        var inPackage = r.Type == RequestType.Portability ? r.Progress.Export?.RecordsBySource?.GetValueOrDefault(source.Key) : null;
        if (inPackage is 0 && o.Exported > 0)
        {
            parts.Add("nothing held here is data you gave us, so none of it is in your copy");
        }
        else if ((inPackage ?? o.Exported) is > 0 and var copied)
        {
            parts.Add(inPackage is null ? $"copied {Plural.Count(copied, "record")} for you" : $"copied {Plural.Count(copied, "record")} you gave us");
        }

        if (o.Corrected > 0)
        {
            parts.Add($"corrected {Plural.Count(o.Corrected, "record")}");
        }

        if (o.Restricted > 0)
        {
            parts.Add($"marked {Plural.Count(o.Restricted, "record")} as restricted: we keep them but do not use them");
        }

        // Without counts to give, the source's own note says what happened (or that nothing needed doing).
        var text = new StringBuilder(source.DisplayName).Append(": ")
            .Append(parts.Count > 0 ? string.Join(", ", parts) + "." : o.Note ?? "no change was needed.");
        foreach (var kept in o.Retained)
        {
            // Records a legal hold kept say so in their reason, and an owner's count by hand has no category; others name theirs.
            var what = kept.Category is RetainedRecords.LegalHoldCategory or RetainedRecords.CountedByHandCategory ? string.Empty : $" ({Category(source.Key, kept.Category)})";
            text.Append(CultureInfo.InvariantCulture, $" We kept {Plural.Count(kept.Count, "record")}{what} because {ErasureExceptions.Cite(kept.LegalBasis, kept.Ground, r.Jurisdiction)}")
                .Append(kept.RetainedUntil is { } until ? $", until {RequestTexts.LongDate(until)}, when they will be deleted." : ".");
        }

        if (parts.Count > 0 && o.Note is not null)
        {
            text.Append(' ').Append(o.Note);
        }

        return text.ToString();
    }

    private static string Reason(RejectionReason? reason) => reason switch
    {
        RejectionReason.InsufficientVerification => "we could not confirm that the request came from you.",
        RejectionReason.NoMatch => "we could not find any personal data about you.",
        RejectionReason.ManifestlyUnfounded => "the request is manifestly unfounded.",
        RejectionReason.Excessive => "the request is excessive, for example because it repeats a recent one.",
        RejectionReason.OutsideJurisdiction => "the law this request relies on does not apply to the data we hold about you.",
        RejectionReason.Duplicate => "it repeats a request we are already handling.",
        RejectionReason.Withdrawn => "you withdrew it.",
        _ => "our privacy team explains:",
    };

    private static string Duration(TimeSpan span) => span.TotalHours % 24 == 0 && span.TotalHours >= 48
        ? $"{span.TotalDays:0} days"
        : $"{span.TotalHours:0} hours";
}
