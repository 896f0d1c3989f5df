using DataRights.Core.Sources.Registry;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using DataRights.Host.Http;
using DataRights.Host.Pages;
using DataRights.Host.Requests;
using DataRights.Host.Workflow;
using DataRights.Host.Staff;
using DataRights.Host.Verification;
using DataRights.Core.Verification;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Links;

/// <summary>
/// The pages behind emailed links. A GET never changes anything: it shows what the link is for and
/// a button; only the POST from that page (anti-forgery checked) acts, once. A used or stale link
/// shows what was decided instead.
/// </summary>
public static class LinkPages
{
    public static IEndpointRouteBuilder MapLinkPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/verify/{token}", ShowVerifyAsync).ExcludeFromDescription();
        app.MapPost("/verify/{token}", VerifyAsync).ExcludeFromDescription().DisableAntiforgery();
        app.MapGet("/information/{token}", ShowInformationAsync).ExcludeFromDescription();
        app.MapPost("/information/{token}", ProvideInformationAsync).ExcludeFromDescription().DisableAntiforgery();
        app.MapGet("/approve/{token}", ShowApprovalAsync).ExcludeFromDescription();
        app.MapPost("/approve/{token}", DecideAsync).ExcludeFromDescription().DisableAntiforgery();
        app.MapPost("/status/{token}/resend", ResendAsync).ExcludeFromDescription().DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> ShowVerifyAsync(string token, HttpContext context, LinkContext links, IOptions<VerificationOptions> verification)
    {
        var (request, claims, error) = await links.ReadAsync(context, token, LinkPurposes.Verify, staff: false);
        if (error is not null)
        {
            return error;
        }

        if (!claims!.AppliesTo(request!))
        {
            return VerificationClosed(context, request!, StatusCodes.Status200OK);
        }

        return VerifyForm(context, links, token, request!, verification.Value, new Dictionary<string, string[]>(), StatusCodes.Status200OK);
    }

    /// <summary>The confirmation page: a button, and above it the details and declaration the request's level needs, if any.</summary>
    private static IResult VerifyForm(HttpContext context, LinkContext links, string token, DataSubjectRequest request, VerificationOptions verification, IReadOnlyDictionary<string, string[]> errors, int statusCode)
    {
        var level = links.Engine.VerificationPolicy.AskedOnPage(request);
        var retry = request.Progress.Identity is { Outcome: Core.Verification.IdentityCheckOutcome.AskedAgain };
        return Layout.Page(context, "Confirm your request", Html.Of($"""
            <h1>Confirm your request</h1>
            <p>Please confirm that you asked us to {RequestTexts.Action(request.Type)} (reference {request.Reference}).</p>
            {Html.When(retry, Html.Of($"<p>The details you gave before did not match the records we hold. Please check them, or give others.</p>"))}
            <form method="post" action="/verify/{token}">
            <input type="hidden" name="{HttpExtensions.CsrfFieldName}" value="{links.Csrf(context)}">
            {VerificationForm.Fields(level, verification.Definitions(), links.Engine.VerificationPolicy.DeclarationText(request.Jurisdiction), errors)}
            <button type="submit">Yes, this is my request</button>
            </form>
            <p>If you did not make this request, close this page. Nothing will happen.</p>
            """), statusCode);
    }

    /// <summary>A 429 page when details to confirm requests have been given from the request's address too many times recently; null otherwise (the attempt is counted).</summary>
    private static async Task<IResult?> TooManyAttemptsAsync(HttpContext context, DataSubjectRequest request, VerificationAttemptLimiter attempts) =>
        await attempts.TryAcquireAsync(request.Email, context.RequestAborted) is not { } wait ? null : Layout.Page(context, "Please try later", Layout.Message("Please try again later",
            $"Details to confirm requests have been given from this email address too many times recently. Nothing was changed. Please try again {VerificationAttemptLimiter.InAbout(wait)}, or contact us."), StatusCodes.Status429TooManyRequests);

    private static async Task<IResult> VerifyAsync(
        string token, HttpContext context, LinkContext links, IOptions<VerificationOptions> verification, DataPointHasher hasher, VerificationAttemptLimiter attempts, TimeProvider time)
    {
        var (read, claims, error) = await links.ReadForPostAsync(context, token, LinkPurposes.Verify, staff: false);
        if (error is not null || read is not { } request)
        {
            return error!;
        }

        if (!claims!.AppliesTo(request))
        {
            return VerificationClosed(context, request, StatusCodes.Status409Conflict);
        }

        var level = links.Engine.VerificationPolicy.AskedOnPage(request);
        var verified = new IdentityVerified("requester", "email_link", claims.Nonce) { Step = claims.ActionStep };
        var answers = level.NeedsMoreThanEmail ? VerificationForm.Read(context.Request.Form, level, verification.Value.Definitions()) : null;
        if (answers is { Errors.Count: > 0 })
        {
            return VerifyForm(context, links, token, request, verification.Value, answers.Errors, StatusCodes.Status400BadRequest);
        }

        // Each confirmation that gives details, on this page or with the request itself (matched once confirmed), is an
        // attempt at them; or a client could guess by submitting again and again.
        if ((level.NeedsMoreThanEmail || links.Engine.VerificationPolicy.For(request.Jurisdiction, request.Type).DataPoints > 0)
            && await TooManyAttemptsAsync(context, request, attempts) is { } tooMany)
        {
            return tooMany;
        }

        if (answers is not null)
        {
            verified = verified with
            {
                DataPoints = [.. answers.Given.Select(g => hasher.Give(g.Point, g.Typed))],
                Declaration = answers.SignedAs is { } signedAs ? new SignedDeclaration(links.Engine.VerificationPolicy.DeclarationText(request.Jurisdiction), signedAs, time.GetUtcNow()) : null,
            };
        }

        var decision = await links.Engine.ApplyAsync(request.Id, verified, context.RequestAborted);
        if (decision?.Refused is { } refused)
        {
            // The same form posted twice (a double click): the first confirmed the request while this one waited, so this
            // one says what happened rather than that it failed.
            return claims.AppliesTo(decision.Request)
                ? Layout.Page(context, "We could not confirm", Layout.Message("We could not confirm your request", refused), StatusCodes.Status409Conflict)
                : VerificationClosed(context, decision.Request, StatusCodes.Status409Conflict);
        }

        var checking = decision!.Request.Progress.Identity is { Outcome: IdentityCheckOutcome.Pending } ? "We are now checking the details you gave against our records, and looking for your data." : "We are now looking for your data.";
        return Layout.Page(context, "Thank you", Html.Of($"""
            <h1>Thank you, your request is confirmed</h1>
            <p>{checking} We will reply by {RequestTexts.LongDate(decision!.Request.Deadline.DueOn)} at the latest.</p>
            <p><a href="/status/{links.StatusToken(request.Id)}">See the progress of your request</a></p>
            """));
    }

    private static async Task<IResult> ShowInformationAsync(string token, HttpContext context, LinkContext links)
    {
        var (request, claims, error) = await links.ReadAsync(context, token, LinkPurposes.Inform, staff: false);
        if (error is not null)
        {
            return error;
        }

        if (!claims!.AppliesTo(request!))
        {
            return InformationClosed(context, request!, StatusCodes.Status200OK);
        }

        return Layout.Page(context, "Reply to our question", Html.Of($"""
            <h1>Reply to our question</h1>
            <p>About your request {request!.Reference}, we asked:</p>
            <blockquote>{request.Progress.InformationQuestion}</blockquote>
            <form method="post" action="/information/{token}">
            <input type="hidden" name="{HttpExtensions.CsrfFieldName}" value="{links.Csrf(context)}">
            <div class="field"><label for="answer">Your answer</label>
            <textarea id="answer" name="answer" rows="6" required maxlength="{IntakeFields.MaxDetailsLength}"></textarea></div>
            <button type="submit">Send my answer</button>
            </form>
            """));
    }

    private static async Task<IResult> ProvideInformationAsync(string token, HttpContext context, LinkContext links)
    {
        var (request, claims, error) = await links.ReadForPostAsync(context, token, LinkPurposes.Inform, staff: false);
        if (error is not null)
        {
            return error;
        }

        if (!claims!.AppliesTo(request!))
        {
            return InformationClosed(context, request!, StatusCodes.Status409Conflict);
        }

        var answer = context.Request.Form["answer"].ToString().Trim();
        if (answer.Length is 0 or > IntakeFields.MaxDetailsLength || Core.Text.TextRules.HasForbiddenCharacters(answer, multiLine: true))
        {
            return Layout.Page(context, "There is a problem", Layout.Message("There is a problem", $"Write your answer (up to {IntakeFields.MaxDetailsLength} characters, no control characters) and send it again."), StatusCodes.Status400BadRequest);
        }

        var decision = await links.Engine.ApplyAsync(request!.Id, new InformationProvided("requester", answer, claims.Nonce, claims.ActionStep), context.RequestAborted);
        return decision?.Refused is { } refused
            ? Layout.Page(context, "Not sent", Layout.Message("Your answer was not needed", refused), StatusCodes.Status409Conflict)
            : Layout.Page(context, "Thank you", Layout.Message("Thank you", "We have your answer and will carry on with your request."));
    }

    private static async Task<IResult> ShowApprovalAsync(string token, HttpContext context, LinkContext links, ISourceRegistrationStore registrations)
    {
        var (request, claims, error) = await links.ReadAsync(context, token, LinkPurposes.Approve, staff: true);
        if (error is not null)
        {
            return error;
        }

        var r = request!;
        var registered = (await registrations.ListAsync(context.RequestAborted)).ToDictionary(x => x.Registration.Key, x => x.Registration, StringComparer.Ordinal);
        var sources = Html.Join(r.Progress.Sources.Select(s => Html.Of($"""<li>{s.DisplayName}: {ApprovalTexts.SourceSummary(s, registered.GetValueOrDefault(s.Key))}</li>""")));
        if (!claims!.AppliesTo(r))
        {
            return ApprovalClosed(context, r, StatusCodes.Status200OK);
        }

        var csrf = links.Csrf(context);
        var signIn = await SignInPanelAsync(context, links, token, csrf);
        var plan = ApprovalTexts.WhatApprovingDoes(r, registered, await context.RequestServices.GetRequiredService<ILegalHoldStore>().ListAsync(context.RequestAborted));
        var reasons = Html.Join(WireNames.AllRejectionReasons.Select(n => Html.Of($"""<option value="{n}">{StaffConsole.RejectionTexts.Describe(n)}</option>""")));
        return Layout.StaffPage(context, "Approve " + r.Reference, Html.Of($"""
            <h1>{r.Reference}: {RequestTexts.Describe(r.Type).Label}</h1>
            <dl class="summary">
            <dt>Requester</dt><dd>{r.FullName} &lt;{r.Email}&gt;</dd>
            <dt>Account reference</dt><dd>{r.AccountReference ?? "none given"}</dd>
            <dt>Identity</dt><dd>{IdentityTexts.ForStaff(r)}</dd>
            <dt>Jurisdiction</dt><dd>{RequestTexts.Describe(r.Jurisdiction)} ({Email.MessageComposer.RegimeName(context.RequestServices.GetRequiredService<Core.Deadlines.DeadlineRegimes>(), r)})</dd>
            <dt>Due</dt><dd>{RequestTexts.LongDate(r.Deadline.DueOn)}</dd>
            <dt>Details</dt><dd>{r.Details ?? "none"}</dd>
            </dl>
            <h2>What we found</h2>
            <ul>{sources}</ul>
            <h2>What approving will do</h2>
            <ul>{plan}</ul>
            {signIn}
            <h2>Approve</h2>
            <form method="post" action="/approve/{token}">
            <input type="hidden" name="{HttpExtensions.CsrfFieldName}" value="{csrf}"><input type="hidden" name="decision" value="approve">
            {ApprovalTexts.InstructionFields(r)}
            <div class="field"><label for="approve-note">Note (optional)</label><input type="text" id="approve-note" name="note" maxlength="500"></div>
            <button type="submit">Approve and carry out</button>
            </form>
            <h2>Ask the requester for more information</h2>
            <form method="post" action="/approve/{token}">
            <input type="hidden" name="{HttpExtensions.CsrfFieldName}" value="{csrf}"><input type="hidden" name="decision" value="ask">
            <div class="field"><label for="question">Question</label><textarea id="question" name="question" rows="3" maxlength="2000"></textarea></div>
            <button type="submit" class="secondary">Send question</button>
            </form>
            <h2>Reject</h2>
            <form method="post" action="/approve/{token}">
            <input type="hidden" name="{HttpExtensions.CsrfFieldName}" value="{csrf}"><input type="hidden" name="decision" value="reject">
            <div class="field"><label for="reason">Reason</label><select id="reason" name="reason">{reasons}</select></div>
            <div class="field"><label for="reject-note">Explanation for the requester</label><textarea id="reject-note" name="note" rows="3" maxlength="2000"></textarea></div>
            <button type="submit" class="warning">Reject the request</button>
            </form>
            """));
    }

    private static async Task<IResult> DecideAsync(string token, HttpContext context, LinkContext links)
    {
        var (request, claims, error) = await links.ReadForPostAsync(context, token, LinkPurposes.Approve, staff: true);
        if (error is not null)
        {
            return error;
        }

        if (!claims!.AppliesTo(request!))
        {
            return ApprovalClosed(context, request!, StatusCodes.Status409Conflict);
        }

        if (await links.RefuseUnlessSignedInApproverAsync(context, claims!) is { } signInRefused)
        {
            return signInRefused;
        }

        var form = context.Request.Form;
        var actor = "approver:" + links.StaffName(claims!.RecipientHash);
        var note = Limit(form["note"].ToString(), 2000);
        WorkflowEvent? e = form["decision"].ToString() switch
        {
            "approve" => new ApprovalGranted(actor, note, claims.Nonce, ApprovalTexts.InstructionsFrom(request!, form), claims.ActionStep),
            "ask" when !string.IsNullOrWhiteSpace(form["question"]) => new InformationRequested(actor, Limit(form["question"].ToString(), 2000)!, claims.Nonce, claims.ActionStep),
            "reject" when WireNames.TryParseRejectionReason(form["reason"].ToString(), out var reason) => new RequestRejected(actor, reason, note, claims.Nonce, claims.ActionStep),
            _ => null,
        };
        if (e is null)
        {
            return Layout.StaffPage(context, "There is a problem", Layout.Message("There is a problem", "Choose a decision, and for a question write the question. Go back and try again."), StatusCodes.Status400BadRequest);
        }

        var decision = await links.Engine.ApplyAsync(request!.Id, e, context.RequestAborted);
        return decision?.Refused is not { } refused
            ? Layout.StaffPage(context, "Decision recorded", Layout.Message("Decision recorded", $"Where {request.Reference} stands now: {StaffConsole.ConsoleTexts.Status(decision!.Request.Status)}."))
            : claims.AppliesTo(decision.Request)
                ? Layout.StaffPage(context, "Not done", Layout.Message("That was not done", refused), StatusCodes.Status409Conflict)
                // The same form posted twice: the first decided while this one waited; say what was decided.
                : ApprovalClosed(context, decision.Request, StatusCodes.Status409Conflict);
    }

    /// <summary>A verification link that no longer applies (used, or the request has moved on): what happened instead; nothing changes.</summary>
    private static IResult VerificationClosed(HttpContext context, DataSubjectRequest request, int status) =>
        request.Status == RequestStatus.AwaitingVerification
            ? Layout.Page(context, "Link from an earlier email", Layout.Message("This link is from an earlier email",
                $"We asked you for your details again about request {request.Reference}. Please use the link in our newest email about it. Nothing was changed."), status)
            : Layout.Page(context, "Request already confirmed", Html.Of($"""
            <h1>Request {request.Reference}</h1>
            <p>{(request.Progress.VerifiedAt is { } at ? $"You confirmed this request on {at:d MMMM yyyy 'at' HH:mm} UTC." : "This link no longer applies. Nothing was changed.")}</p>
            <p>{RequestTexts.Describe(request.Status)}</p>
            """), status);

    /// <summary>An information link whose question was answered, or which is from an earlier round: nothing changes.</summary>
    private static IResult InformationClosed(HttpContext context, DataSubjectRequest request, int status) =>
        Layout.Page(context, "Request " + request.Reference, Layout.Message("Request " + request.Reference,
            "We are not waiting for an answer from this link: it was used, or our question has been answered or replaced by a newer one. Nothing was changed. " + RequestTexts.Describe(request.Status)), status);

    /// <summary>An approval link that was used, or is from an earlier round, or whose request was decided: what happened; nothing changes.</summary>
    private static IResult ApprovalClosed(HttpContext context, DataSubjectRequest r, int status)
    {
        var decided = r.Progress.Approval is { } a ? $"Decision: {a.Decision} by {StaffConsole.Evidence.EvidenceText.Actor(a.By)} on {a.At:d MMMM yyyy 'at' HH:mm} UTC."
            : r.Status == RequestStatus.AwaitingApproval ? "This link is from an earlier round of approval. A newer email about this request has the current link."
            : "There is no decision to make on this link any more.";
        return Layout.StaffPage(context, "Already decided", Html.Of($"""
            <h1>{r.Reference}: already decided</h1>
            <p>{decided}</p>
            <p>Nothing was changed from this link. Where the request stands now: {StaffConsole.ConsoleTexts.Status(r.Status)}.</p>
            """), status);
    }

    /// <summary>
    /// With sign-in required: who is signed in (and a sign-out button), or a sign-in button when browser sign-in is
    /// configured, or the notice that a staff sign-in is needed. Nothing when sign-in is not required.
    /// </summary>
    private static async Task<HtmlString> SignInPanelAsync(HttpContext context, LinkContext links, string token, string csrf)
    {
        if (!links.ApproverSignInRequired)
        {
            return HtmlString.Empty;
        }

        var returnUrl = "/approve/" + token;
        if (links.SignIn.Enabled && await ApproverSignIn.SignedInAsync(context) is { } user)
        {
            var who = user.FindFirst(StaffRoles.NameClaim)?.Value ?? "an approver";
            var account = LinkContext.EmailClaims.Select(type => user.FindFirst(type)?.Value).FirstOrDefault(v => !string.IsNullOrEmpty(v) && v != who);
            return Html.Of($"""
                <p class="notice">Signed in as {who}{(account is null ? "" : " (" + account + ")")} with your work account.</p>
                <form method="post" action="/signout">
                <input type="hidden" name="{HttpExtensions.CsrfFieldName}" value="{csrf}"><input type="hidden" name="returnUrl" value="{returnUrl}">
                <button type="submit" class="secondary">Sign out</button>
                </form>
                """);
        }

        return links.SignIn.Enabled
            ? Html.Of($"""
                <p class="notice">Your organisation requires approvers to be signed in with their work account (Microsoft Entra ID) to record a decision.</p>
                <p><a class="button" href="/signin?returnUrl={Uri.EscapeDataString(returnUrl)}">Sign in with your work account</a></p>
                """)
            : Html.Of($"""<p class="notice">Your organisation requires approvers to be signed in with their work account (Microsoft Entra ID) to record a decision.</p>""");
    }

    /// <summary>What a rectification corrects and what an objection is to, asked on the approval page.</summary>
    private static async Task<IResult> ResendAsync(string token, HttpContext context, IRequestStore store, LinkContext links)
    {
        if (!StatusLinks.LooksLikeToken(token) || await store.FindByStatusTokenHashAsync(StatusLinks.Hash(token), context.RequestAborted) is not { } request)
        {
            return TypedResults.NotFound();
        }

        if (!await links.Antiforgery.IsRequestValidAsync(context))
        {
            return links.Expired(context);
        }

        var decision = await links.Engine.ApplyAsync(request.Id, new VerificationResendRequested("requester"), context.RequestAborted);
        return decision?.Refused is { } refused
            ? Layout.Page(context, "Not sent", Layout.Message("We did not send another email", refused), StatusCodes.Status429TooManyRequests)
            : Layout.Page(context, "Email sent", Layout.Message("Email sent", "We have sent you a new confirmation link. It may take a few minutes to arrive."));
    }

    private static string? Limit(string value, int max)
    {
        var trimmed = value.Trim();
        return trimmed.Length == 0 ? null : trimmed.Length > max ? trimmed[..max] : trimmed;
    }
}

/// <summary>What the link pages share: reading and checking a token against its request, CSRF, staff names.</summary>
public sealed class LinkContext(
    LinkTokens tokens,
    IRequestStore store,
    StatusLinks statusLinks,
    IAntiforgery antiforgery,
    WorkflowEngine engine,
    IOptions<WorkflowOptions> workflow,
    IOptions<LinksOptions> linkOptions,
    ApproverSignIn signIn,
    TimeProvider time)
{
    /// <summary>The claims that say which account is signed in, shown on the page: the sign-in name, then the mail address.</summary>
    internal static readonly string[] EmailClaims = ["preferred_username", "upn", "email"];

    /// <summary>
    /// The claims an approver is recognised by as a link's recipient: the account's sign-in name only, which the
    /// organisation's directory controls. Never <c>email</c> (a mail attribute not verified, which a guest account or a
    /// user may set) or <c>name</c> (a display name): either would let one approver decide under another's link.
    /// </summary>
    internal static readonly string[] RecipientClaims = ["preferred_username", "upn"];

    public bool ApproverSignInRequired => linkOptions.Value.ApproverSignInRequired;

    public WorkflowEngine Engine => engine;

    public ApproverSignIn SignIn => signIn;

    public IAntiforgery Antiforgery => antiforgery;

    public string Csrf(HttpContext context) => antiforgery.GetAndStoreTokens(context).RequestToken!;

    public string StatusToken(string requestId) => statusLinks.CreateToken(requestId);

    /// <summary>The approver a link was sent to, found again from its hash among the configured approvers.</summary>
    public string StaffName(string recipientHash) =>
        workflow.Value.Approvers.Append(workflow.Value.FallbackApprover).FirstOrDefault(a => LinkTokens.HashRecipient(a) == recipientHash) ?? "unknown-approver";

    public async Task<(DataSubjectRequest? Request, LinkClaims? Claims, IResult? Error)> ReadAsync(HttpContext context, string token, string purpose, bool staff)
    {
        var (claims, problem) = tokens.Read(token, purpose, time.GetUtcNow());
        if (problem == LinkProblem.Expired && claims is not null)
        {
            return (null, null, Layout.Page(context, "Link expired", Layout.Message("This link has expired", staff
                ? "Approval links last a limited time. The request is still waiting: use the newest email about it, or the staff API."
                : "For your security, links only work for a limited time. Open your request's status page to ask for a new one, or make a new request."), StatusCodes.Status410Gone, forStaff: staff));
        }

        if (problem != LinkProblem.None || claims is null)
        {
            return (null, null, Invalid(context));
        }

        var request = await store.GetAsync(claims.RequestId, context.RequestAborted);
        var recipientOk = request is not null && (staff
            ? StaffName(claims.RecipientHash) != "unknown-approver"
            : claims.RecipientHash == LinkTokens.HashRecipient(request.Email));
        return request is null || !recipientOk ? (null, null, Invalid(context)) : (request, claims, null);
    }

    public async Task<(DataSubjectRequest? Request, LinkClaims? Claims, IResult? Error)> ReadForPostAsync(HttpContext context, string token, string purpose, bool staff)
    {
        var read = await ReadAsync(context, token, purpose, staff);
        if (read.Error is not null)
        {
            return read;
        }

        return await FormPosts.CheckAsync(context, antiforgery) is { } refused ? (null, null, refused) : read;
    }

    /// <summary>
    /// With <see cref="LinksOptions.ApproverSignInRequired"/> on: null when the request carries a staff sign-in (Entra ID
    /// bearer token, the approver's browser sign-in cookie, or the Development header) in the Approver or Admin role for the person the link was sent to;
    /// otherwise the page that says why nothing was done.
    /// </summary>
    public async Task<IResult?> RefuseUnlessSignedInApproverAsync(HttpContext context, LinkClaims claims)
    {
        if (!ApproverSignInRequired)
        {
            return null;
        }

        var result = await context.AuthenticateAsync(StaffAuthenticationExtensions.SchemeName);
        var user = result.Principal is { Identity.IsAuthenticated: true } staff ? staff
            : signIn.Enabled ? await ApproverSignIn.SignedInAsync(context)
            : null;
        if (user is null)
        {
            return Layout.StaffPage(context, "Sign-in required", Layout.Message("Sign in to record this decision",
                "Your organisation requires approvers to be signed in with their work account (Microsoft Entra ID), as well as holding this link. " +
                (signIn.Enabled ? "Open the link from your email again and choose \"Sign in with your work account\"." : "Use the staff API with your account, or ask your administrator.") +
                " Nothing was changed."), StatusCodes.Status401Unauthorized);
        }

        var isApprover = user.IsInRole(StaffRoles.Approver) || user.IsInRole(StaffRoles.Admin);
        var isRecipient = RecipientClaims.SelectMany(type => user.FindAll(type)).Any(c => LinkTokens.HashRecipient(c.Value) == claims.RecipientHash);
        return isApprover && isRecipient ? null : Layout.StaffPage(context, "Not your decision", Layout.Message("This link is for someone else",
            "You are signed in, but not as an approver this link was sent to. The person it was sent to must decide, signed in as themselves. Nothing was changed."),
            StatusCodes.Status403Forbidden);
    }

    public IResult Expired(HttpContext context) => Layout.Page(context, "The page has expired", Layout.Message(
        "The page has expired", "For your security, buttons only work on the page they came from and for a short time. Open the link from your email again. Nothing was changed."), StatusCodes.Status400BadRequest);

    private static IResult Invalid(HttpContext context) => Layout.Page(context, "Link not valid", Layout.Message(
        "This link is not valid", "The link may be incomplete or changed. Open it again from the email, copying the whole address. Nothing was changed."), StatusCodes.Status400BadRequest);
}
