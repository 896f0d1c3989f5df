using System.Globalization;
using System.Security.Claims;
using DataRights.Core.Deadlines;
using DataRights.Core.Email;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Sources.Registry;
using DataRights.Core.Text;
using DataRights.Core.Workflow;
using DataRights.Host.Http;
using DataRights.Host.Links;
using DataRights.Host.Pages;
using DataRights.Host.Staff;
using DataRights.Host.StaffConsole.Evidence;
using DataRights.Host.Verification;
using Microsoft.AspNetCore.Antiforgery;

namespace DataRights.Host.StaffConsole;

/// <summary>
/// <c>/staff/requests/{id}</c>: one request's story for staff: who asked for what, the statutory clock, each system's
/// part, failures, the actions the request allows now, and the audit trail with its chain check.
/// </summary>
public static class RequestPage
{
    public static async Task<IResult> ShowAsync(string id, HttpContext context, IRequestStore store, ISourceRegistrationStore registrations,
        DeadlineRegimes regimes, TimeProvider time, IAntiforgery antiforgery, EvidencePackBuilder evidence)
    {
        var (user, refusal) = await ConsoleAccess.RequireAsync(context);
        if (refusal is not null)
        {
            return refusal;
        }

        var csrf = antiforgery.GetAndStoreTokens(context).RequestToken!;
        if (await store.GetAsync(id, context.RequestAborted) is not { } request)
        {
            return NotFound(context, user!, csrf);
        }

        var done = context.Request.Query["done"].ToString();
        var notice = ActionNotices.TryGetValue(done, out var text) || Admin.HoldForms.Notices.TryGetValue(done, out text) ? Html.Of($"""<div class="notice-panel" role="status"><p>{text}</p></div>""") : HtmlString.Empty;
        return await RenderAsync(context, user!, csrf, request, registrations, regimes, time, evidence, notice, errors: null, StatusCodes.Status200OK);
    }

    internal static IResult NotFound(HttpContext context, ClaimsPrincipal user, string? csrf) =>
        ConsoleLayout.Page(context, "Request not found", user, csrf, Html.Of($"""
            <h1>Request not found</h1>
            <p>There is no request at this address. <a href="{ConsoleRoutes.Inbox}">Back to the open requests</a></p>
            """), StatusCodes.Status404NotFound);

    /// <summary>What staff are told after an action went through (<c>?done=</c>).</summary>
    internal static readonly IReadOnlyDictionary<string, string> ActionNotices = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["verify"] = "You verified the requester by hand. The search of the systems starts now.",
        ["approve"] = "You approved the request. It is being carried out now.",
        ["reject"] = "You rejected the request. The requester is being told why.",
        ["ask"] = "Your question is on its way to the requester. The request waits for their answer.",
        ["extend"] = "You extended the deadline. The requester is being told why.",
        ["retry"] = "The failed steps are being tried again.",
    };

    internal static async Task<IResult> RenderAsync(HttpContext context, ClaimsPrincipal user, string csrf, DataSubjectRequest r,
        ISourceRegistrationStore registrations, DeadlineRegimes regimes, TimeProvider time, EvidencePackBuilder evidence, HtmlString notice,
        IReadOnlyDictionary<string, string>? errors, int statusCode)
    {
        // The timeline and the chain check are the evidence pack's: the same sentences staff print for a regulator.
        var pack = await evidence.BuildAsync(r.Id, context.RequestAborted);
        var activeHolds = await context.RequestServices.GetRequiredService<ILegalHoldStore>().ListAsync(context.RequestAborted);
        var holds = user.IsInRole(StaffRoles.Admin)
            ? Admin.HoldForms.ForRequest(r, Admin.HoldForms.ForPerson(activeHolds, r.Email), csrf)
            : HtmlString.Empty;
        var registered = (await registrations.ListAsync(context.RequestAborted)).ToDictionary(x => x.Registration.Key, x => x.Registration, StringComparer.Ordinal);
        var emails = await context.RequestServices.GetRequiredService<ISentEmailCopies>().ListAsync(r.Id, context.RequestAborted);
        var regime = regimes.For(r.Jurisdiction);
        var today = DeadlineCalculator.LocalDate(regime, time.GetUtcNow());
        var open = ConsoleTexts.WaitsOn(r) != WaitingOn.Nobody;
        var workflow = await Durable.RequestWorkflow.ReadAsync(r, context.RequestServices, context.RequestAborted);
        var errorSummary = errors is not { Count: > 0 } ? HtmlString.Empty : Html.Of($"""
            <div class="error-summary" role="alert"><h2>There is a problem. Nothing was changed.</h2><ul>{Html.Join(errors.Select(e => Html.Of($"""<li><a href="#{e.Key}">{e.Value}</a></li>""")))}</ul></div>
            """);
        var due = open
            ? Html.Of($"""<span class="tag {ConsoleTexts.Urgency(r.Deadline.DueOn, today)}">{ConsoleTexts.DaysLeft(r.Deadline.DueOn, today, StatutoryClock.IsPaused(r.Progress))}</span>""")
            : HtmlString.Empty;
        return ConsoleLayout.Page(context, r.Reference, user, csrf, Html.Of($"""
            <p><a href="{ConsoleRoutes.Inbox}">Back to the open requests</a></p>
            {errorSummary}
            {notice}
            <h1>{r.Reference}: {ConsoleTexts.Right(r.Type)}</h1>
            <p class="lead">{ConsoleTexts.Status(r.Status)}. {due}</p>
            <dl class="summary">
            <dt>Requester</dt><dd>{r.FullName} &lt;{r.Email}&gt;</dd>
            <dt>Asked to</dt><dd>{RequestTexts.ActionForStaff(r.Type)}</dd>
            <dt>Account reference</dt><dd>{r.AccountReference ?? "none given"}</dd>
            <dt>Details given</dt><dd>{r.Details ?? "none"}</dd>
            <dt>Where they are</dt><dd>{RequestTexts.Describe(r.Jurisdiction)}: {regime.Name}</dd>
            <dt>Identity</dt><dd>{(r.Progress.VerifiedAt is null ? "Not verified yet." : IdentityTexts.ForStaff(r))}</dd>
            <dt>Workflow</dt><dd>{workflow.Summary}</dd>
            </dl>
            {Clock(r, regime)}
            {Sources(r, registered)}
            {Failures(r)}
            {Actions(r, csrf, errors, registered, activeHolds)}
            {holds}
            {Emails(r.Id, emails)}
            {Timeline(r.Id, pack)}
            """), statusCode);
    }

    private static HtmlString Clock(DataSubjectRequest r, DeadlineRegime regime)
    {
        var pauses = r.Progress.Pauses.Count == 0 ? Html.Of($"<dd>None</dd>") : Html.Join(r.Progress.Pauses.Select(p => Html.Of($"""
            <dd>{ConsoleTexts.Date(p.From)} to {(p.Until is { } until ? ConsoleTexts.Date(until) : "now (still paused)")}: {p.Reason}</dd>
            """)));
        var extension = r.Progress.Extension is { } x
            ? Html.Of($"<dd>Extended on {ConsoleTexts.Time(x.At)} by {EvidenceText.Actor(x.By)} to {ConsoleTexts.Date(x.NewDueOn)}: {x.Reason}</dd>")
            : Html.Of($"<dd>{(regime.ExtensionMonths > 0 || regime.ExtensionDays > 0 ? "Not extended" : "This law allows no extension")}</dd>");
        return Html.Of($"""
            <h2>Statutory clock</h2>
            <dl class="summary">
            <dt>Received</dt><dd>{ConsoleTexts.Date(r.Deadline.ReceivedOn)}</dd>
            <dt>Paused</dt>{pauses}
            <dt>Extension</dt>{extension}
            <dt>Due</dt><dd>{RequestTexts.LongDate(r.Deadline.DueOn)}{(r.Progress.Overdue ? " (overdue)" : string.Empty)}</dd>
            </dl>
            """);
    }

    private static HtmlString Sources(DataSubjectRequest r, Dictionary<string, SourceRegistration> registered)
    {
        if (r.Progress.Sources.Count == 0)
        {
            return Html.Of($"<h2>Systems</h2><p>No system has been searched yet.</p>");
        }

        var rows = Html.Join(r.Progress.Sources.Select(s =>
        {
            var registration = registered.GetValueOrDefault(s.Key);
            var problem = s.ExecutionError ?? s.DiscoveryError;
            return Html.Of($"""
                <tr>
                <th scope="row">{s.DisplayName}</th>
                <td>{ApprovalTexts.SourceSummary(s, registration)}</td>
                <td>{ConsoleTexts.Step(s.Execution)}</td>
                <td>{Outcome(s, registration, r.Progress.Export?.RecordsBySource)}</td>
                <td>{problem ?? "None"}</td>
                </tr>
                """);
        }));
        return Html.Of($"""
            <h2>Systems</h2>
            <table class="console-table">
            <caption class="visually-hidden">Each system's part in this request</caption>
            <thead><tr><th scope="col">System</th><th scope="col">Search</th><th scope="col">Carrying out</th><th scope="col">What was done</th><th scope="col">Problem</th></tr></thead>
            <tbody>{rows}</tbody>
            </table>
            """);
    }

    private static HtmlString Outcome(SourceProgress s, SourceRegistration? registration, IReadOnlyDictionary<string, int>? inPackage)
    {
        if (s.Outcome is not { } o)
        {
            return Html.Of($"Nothing yet");
        }

        var done = new List<string>();
        void Add(int n, string what)
        {
            if (n > 0)
            {
                done.Add($"{Plural.Count(n, "record")} {what}");
            }
        }

        Add(o.Erased, "erased");
        Add(o.Masked, "anonymised");
        Add(o.Exported, "copied for the export");
        if (o.Exported > 0 && inPackage?.GetValueOrDefault(s.Key) is { } packaged && packaged != o.Exported)
        {
            // A portable copy keeps only what the person gave us.
            done.Add($"{Plural.Count(packaged, "record")} of them in the download (what they gave us)");
        }

        Add(o.Corrected, "corrected");
        Add(o.Restricted, "restricted");
        var kept = o.Retained.Select(k =>
            $"{Plural.Count(k.Count, "record")} of {CategoryNames.Of(registration, k.Category)} kept {(k.RetainedUntil is { } until ? "until " + ConsoleTexts.Date(until) : "for now")}: {k.LegalBasis}");
        var all = done.Concat(kept).ToList();
        return all.Count == 0 ? Html.Of($"Nothing to change") : Html.Join(all.Select((line, i) => i == 0 ? Html.Of($"{line}") : Html.Of($"<br>{line}")));
    }

    private static HtmlString Failures(DataSubjectRequest r) => r.Progress.Alerts.Count == 0 ? HtmlString.Empty : Html.Of($"""
        <h2>Failures</h2>
        <ul>{Html.Join(r.Progress.Alerts.Select(a => Html.Of($"<li>{ConsoleTexts.Time(a.At)}: {WorkDescriptions.Failure(a)}</li>")))}</ul>
        """);

    private static HtmlString Actions(DataSubjectRequest r, string csrf, IReadOnlyDictionary<string, string>? errors, Dictionary<string, SourceRegistration> registered, IReadOnlyList<LegalHold> holds)
    {
        HtmlString Form(string action, string heading, HtmlString fields, string button, string buttonClass = "") => Html.Of($"""
            <section class="action" aria-labelledby="action-{action}">
            <h3 id="action-{action}">{heading}</h3>
            <form method="post" action="{ConsoleRoutes.Request(r.Id)}/{action}" novalidate>
            <input type="hidden" name="{HttpExtensions.CsrfFieldName}" value="{csrf}">
            {(r.Status == RequestStatus.AwaitingApproval ? Html.Of($"<input type=\"hidden\" name=\"step\" value=\"{ActionStep.Approval(r.Progress.ApprovalRound).Format()}\">") : HtmlString.Empty)}
            {fields}
            <button type="submit"{(buttonClass.Length > 0 ? new HtmlString($" class=\"{buttonClass}\"") : HtmlString.Empty)}>{button}</button>
            </form>
            </section>
            """);
        HtmlString Text(string name, string label, string hint, int max, bool multiLine = true)
        {
            var error = errors?.GetValueOrDefault(name) is { } message ? Html.Of($"""<p class="error-message" id="{name}-error">{message}</p>""") : HtmlString.Empty;
            var described = errors?.ContainsKey(name) == true ? Html.Of($""" aria-describedby="{name}-hint {name}-error" """) : Html.Of($""" aria-describedby="{name}-hint" """);
            var input = multiLine
                ? Html.Of($"""<textarea id="{name}" name="{name}" rows="3" maxlength="{max.ToString(CultureInfo.InvariantCulture)}"{described}></textarea>""")
                : Html.Of($"""<input type="text" id="{name}" name="{name}" maxlength="{max.ToString(CultureInfo.InvariantCulture)}"{described}>""");
            return Html.Of($"""<div class="field{(errors?.ContainsKey(name) == true ? " field-error" : string.Empty)}"><label for="{name}">{label}</label><p class="hint" id="{name}-hint">{hint}</p>{error}{input}</div>""");
        }

        var forms = new List<HtmlString>();
        switch (r.Status)
        {
            case RequestStatus.AwaitingVerification:
                forms.Add(Form("verify", "Verify the requester by hand", Text("verify-reason", "Why you are satisfied they are who they say they are", "For example: checked their photo ID at the counter. Recorded in the audit trail.", 1000), "Verify by hand"));
                break;
            case RequestStatus.AwaitingApproval:
                forms.Add(Html.Of($"""<h3>What approving will do</h3><ul>{ApprovalTexts.WhatApprovingDoes(r, registered, holds)}</ul>"""));
                forms.Add(Form("approve", "Approve", Html.Of($"""{ApprovalTexts.InstructionFields(r)}{Text("approve-note", "Note (optional)", "Kept with the decision in the audit trail.", 500, multiLine: false)}"""), "Approve and carry out"));
                forms.Add(Form("ask", "Ask the requester for more information", Text("ask-question", "Question", "Sent to the requester by email. Where the law allows, the clock stops until they answer.", 2000), "Send question", "secondary"));
                var reasons = Html.Join(WireNames.AllRejectionReasons.Select(n => Html.Of($"""<option value="{n}">{RejectionTexts.Describe(n)}</option>""")));
                forms.Add(Form("reject", "Reject", Html.Of($"""
                    <div class="field"><label for="reject-reason">Reason</label><select id="reject-reason" name="reason">{reasons}</select></div>
                    {Text("reject-note", "Explanation for the requester", "They read this in the email that tells them, with their right to complain.", 2000)}
                    """), "Reject the request", "warning"));
                break;
        }

        if (ConsoleTexts.WaitsOn(r) != WaitingOn.Nobody && r.Progress.Extension is null)
        {
            forms.Add(Form("extend", "Extend the deadline", Text("extend-reason", "Reason the requester will be told", "Only where the law allows it, for example a complex request or many requests. Once per request.", 1000), "Extend the deadline", "secondary"));
        }

        if (r.Status == RequestStatus.Failed || r.Progress.Alerts.Count > 0)
        {
            forms.Add(Form("retry", "Try the failed steps again", HtmlString.Empty, "Try again", "secondary"));
        }

        return forms.Count == 0
            ? Html.Of($"<h2>Actions</h2><p>There is nothing to decide on this request now.</p>")
            : Html.Of($"<h2>Actions</h2>{Html.Join(forms)}");
    }

    private static HtmlString Emails(string id, IReadOnlyList<SentEmailCopy> emails)
    {
        if (emails.Count == 0)
        {
            return Html.Of($"""<h2 id="emails-sent">Emails sent</h2><p>No email has been sent about this request yet.</p>""");
        }

        var rows = Html.Join(emails.Select(e => Html.Of($"""
            <tr>
            <td><time datetime="{e.SentAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}">{ConsoleTexts.Time(e.SentAt)}</time></td>
            <td>{EmailCopyPage.Audience(e.Audience)}</td>
            <td>{e.Subject}</td>
            <td><a href="{ConsoleRoutes.EmailCopy(id, e.MessageId)}">Open the copy<span class="visually-hidden"> of “{e.Subject}”</span></a></td>
            </tr>
            """)));
        return Html.Of($"""
            <h2 id="emails-sent">Emails sent</h2>
            <table class="console-table">
            <caption class="visually-hidden">Every email sent about this request, oldest first</caption>
            <thead><tr><th scope="col">Sent</th><th scope="col">To</th><th scope="col">Subject</th><th scope="col">Copy</th></tr></thead>
            <tbody>{rows}</tbody>
            </table>
            """);
    }

    private static HtmlString Timeline(string id, EvidencePack? pack)
    {
        if (pack is null)
        {
            return HtmlString.Empty;
        }

        var chain = pack.Chain;
        var result = chain.Holds
            ? Html.Of($"""<p class="chain ok"><strong>The audit trail is intact:</strong> {chain.Summary}</p>""")
            : Html.Of($"""<p class="chain broken" role="alert"><strong>The audit trail does not check out:</strong> {chain.Summary} Tell your administrator.</p>""");
        var items = Html.Join(pack.Timeline.Select(e => Html.Of($"""
            <li><time datetime="{e.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}">{ConsoleTexts.Time(e.At)}</time>: {e.What} <span class="hint">{e.Who}</span></li>
            """)));
        return Html.Of($"""
            <h2>Timeline</h2>
            {result}
            <ol class="timeline">{items}</ol>
            <h2>Evidence pack</h2>
            <p>One document with this timeline, the chain check, what was done in each system and what was kept and why: <a href="{ConsoleRoutes.Request(id)}/evidence">open it to print</a> or <a href="{ConsoleRoutes.Request(id)}/evidence.pdf" download>download it as a PDF</a>.</p>
            """);
    }
}
