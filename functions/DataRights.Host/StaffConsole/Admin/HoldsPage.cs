using System.Security.Claims;
using DataRights.Core.Sources.Registry;
using DataRights.Host.Http;
using DataRights.Host.Pages;
using DataRights.Host.Staff;
using Microsoft.AspNetCore.Antiforgery;

namespace DataRights.Host.StaffConsole.Admin;

/// <summary>
/// <c>/staff/holds</c> (administrators): the legal holds in force, a form to place one on a person (by email address) or a
/// whole source, and a button to lift each. Holds are placed and checked as the staff API does
/// (<see cref="LegalHoldEndpoints.NewHold"/>); a person is held by a hash of their address, so the list names nobody.
/// </summary>
public static class HoldsPage
{
    private static readonly Dictionary<string, string> FieldIds = new(StringComparer.Ordinal)
    {
        ["scope"] = "hold-scope-person",
        ["email"] = "hold-email",
        ["sourceKey"] = "hold-source",
        ["reason"] = "hold-reason",
    };

    public static async Task<IResult> ShowAsync(HttpContext context, ILegalHoldStore holds, ISourceRegistrationStore registrations, IAntiforgery antiforgery)
    {
        var (user, refusal) = await ConsoleAccess.RequireAsync(context, admin: true);
        if (refusal is not null)
        {
            return refusal;
        }

        var csrf = antiforgery.GetAndStoreTokens(context).RequestToken!;
        var notice = HoldForms.Notices.GetValueOrDefault(context.Request.Query["done"].ToString());
        return await RenderAsync(context, user!, csrf, holds, registrations, new HoldBody(null, null, null, null, null), errors: null, notice, StatusCodes.Status200OK);
    }

    public static async Task<IResult> PlaceAsync(HttpContext context, ILegalHoldStore holds, ISourceRegistrationStore registrations, TimeProvider time,
        IAntiforgery antiforgery, ILogger<ConsoleAccessLog> logger)
    {
        var (user, refusal) = await ConsoleAccess.RequireAsync(context, admin: true);
        if (refusal is not null)
        {
            return refusal;
        }

        if (await FormPosts.CheckAsync(context, antiforgery) is { } refused)
        {
            return refused;
        }

        var form = context.Request.Form;
        string? Field(string name) => form[name].ToString().Trim() is { Length: > 0 } value ? value : null;
        var body = new HoldBody(Field("scope"), Field("email"), Field("sourceKey"), Field("reason"), Field("returnUrl"));
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var hold = LegalHoldEndpoints.NewHold(new LegalHoldEndpoints.HoldBody(body.Scope, body.Email, body.SourceKey, body.Reason), StaffWorkflowEndpoints.Actor(context), time.GetUtcNow(), problems);
        var registered = await registrations.ListAsync(context.RequestAborted);
        if (hold is { Scope: LegalHold.SourceScope } && !registered.Any(s => s.Registration.Key == hold.SourceKey))
        {
            problems["sourceKey"] = ["unregistered"];
            hold = null;
        }

        if (hold is null)
        {
            var errors = problems.ToDictionary(p => FieldIds[p.Key], p => p.Key switch
            {
                "scope" => "Choose whether to hold a person's data or a whole source.",
                "sourceKey" => "Choose the source to hold from the list.",
                "email" => "Enter the person's email address, like name@example.com.",
                _ => "Give the reason for the hold, 10 to 500 characters on one line, such as the claim or case it protects.",
            });
            logger.HoldRefused(errors.Count);
            var csrf = antiforgery.GetAndStoreTokens(context).RequestToken!;
            return await RenderAsync(context, user!, csrf, holds, registrations, body, errors, notice: null, StatusCodes.Status400BadRequest);
        }

        await holds.PlaceAsync(hold, context.RequestAborted);
        logger.HoldPlaced(hold.Id, hold.Scope);
        return TypedResults.Redirect(AdminRoutes.Back(body.ReturnUrl, AdminRoutes.Holds, "hold-placed"));
    }

    public static async Task<IResult> LiftAsync(string id, HttpContext context, ILegalHoldStore holds, TimeProvider time, IAntiforgery antiforgery, ILogger<ConsoleAccessLog> logger)
    {
        var (user, refusal) = await ConsoleAccess.RequireAsync(context, admin: true);
        if (refusal is not null)
        {
            return refusal;
        }

        if (await FormPosts.CheckAsync(context, antiforgery) is { } refused)
        {
            return refused;
        }

        var inForce = (await holds.ListAsync(context.RequestAborted)).Any(h => h.Id == id && h.Active);
        if (!inForce || !await holds.LiftAsync(id, StaffWorkflowEndpoints.Actor(context), time.GetUtcNow(), context.RequestAborted))
        {
            var csrf = antiforgery.GetAndStoreTokens(context).RequestToken!;
            return ConsoleLayout.Page(context, "Hold not found", user, csrf, Html.Of($"""
                <h1>Hold not found</h1>
                <p>There is no legal hold in force at this address: it may have been lifted already. <a href="{AdminRoutes.Holds}">Back to the legal holds</a></p>
                """), StatusCodes.Status404NotFound);
        }

        logger.HoldLifted(id);
        return TypedResults.Redirect(AdminRoutes.Back(context.Request.Form["returnUrl"].ToString(), AdminRoutes.Holds, "hold-lifted"));
    }

    private static async Task<IResult> RenderAsync(HttpContext context, ClaimsPrincipal user, string csrf, ILegalHoldStore store, ISourceRegistrationStore registrations,
        HoldBody form, IReadOnlyDictionary<string, string>? errors, string? notice, int statusCode)
    {
        var registered = (await registrations.ListAsync(context.RequestAborted)).OrderBy(s => s.Registration.DisplayName, StringComparer.CurrentCulture).ToList();
        var names = registered.ToDictionary(s => s.Registration.Key, s => s.Registration.DisplayName, StringComparer.Ordinal);
        var inForce = (await store.ListAsync(context.RequestAborted)).Where(h => h.Active).OrderByDescending(h => h.PlacedAt).ToList();
        var rows = Html.Join(inForce.Select(h => Html.Of($"""
            <tr>
            <th scope="row">{(h.Scope == LegalHold.SourceScope ? "All data in " + names.GetValueOrDefault(h.SourceKey ?? string.Empty, "a source no longer registered") : "One person's data, everywhere")}</th>
            <td>{h.Reason}</td>
            <td>{ConsoleTexts.Time(h.PlacedAt)}</td>
            <td>{Evidence.EvidenceText.Actor(h.PlacedBy)}</td>
            <td>{HoldForms.LiftButton(h, csrf, AdminRoutes.Holds, "Lift")}</td>
            </tr>
            """)));
        var table = inForce.Count == 0 ? Html.Of($"<p>No legal hold is in force.</p>") : Html.Of($"""
            <table class="console-table">
            <caption class="visually-hidden">Legal holds in force, newest first</caption>
            <thead><tr><th scope="col">What is held</th><th scope="col">Reason</th><th scope="col">Since</th><th scope="col">Placed by</th><th scope="col"><span class="visually-hidden">Lift</span></th></tr></thead>
            <tbody>
            {rows}
            </tbody>
            </table>
            """);
        var onSource = form.Scope == LegalHold.SourceScope;
        HtmlString Checked(bool yes) => yes ? new HtmlString(" checked") : HtmlString.Empty;
        var options = Html.Join(registered.Select(s => s.Registration.Key == form.SourceKey
            ? Html.Of($"""<option value="{s.Registration.Key}" selected>{s.Registration.DisplayName}</option>""")
            : Html.Of($"""<option value="{s.Registration.Key}">{s.Registration.DisplayName}</option>""")).Prepend(Html.Of($"""<option value="">Choose a source</option>""")));
        var returnUrl = ConsoleRoutes.IsConsolePath(form.ReturnUrl) ? form.ReturnUrl! : AdminRoutes.Holds;
        return ConsoleLayout.Page(context, "Legal holds", user, csrf, Html.Of($"""
            {AdminForms.ErrorSummary(errors)}
            {AdminForms.Notice(notice)}
            <h1>Legal holds</h1>
            <p>While a hold stands, nothing it covers is erased, by a request or by a retention purge, and the hold is the stated reason for keeping it. A person is held by their email address, which the list does not show.</p>
            {table}
            <h2>Place a hold</h2>
            <form method="post" action="{AdminRoutes.Holds}" novalidate>
            {AdminForms.Csrf(csrf)}
            <input type="hidden" name="returnUrl" value="{returnUrl}">
            <fieldset class="{AdminForms.FieldClass(errors, "hold-scope-person")}"><legend>What to hold</legend>
            {AdminForms.Error(errors, "hold-scope-person")}
            <div class="radio"><input type="radio" id="hold-scope-person" name="scope" value="{LegalHold.PersonScope}"{Checked(!onSource)}><label for="hold-scope-person">One person's data, in every source</label></div>
            <div class="radio"><input type="radio" id="hold-scope-source" name="scope" value="{LegalHold.SourceScope}"{Checked(onSource)}><label for="hold-scope-source">All data in one source</label></div>
            </fieldset>
            <div class="{AdminForms.FieldClass(errors, "hold-email")}"><label for="hold-email">The person's email address (for a hold on a person)</label><p class="hint" id="hold-email-hint">Kept only as a one-way code to match their records.</p>{AdminForms.Error(errors, "hold-email")}<input type="email" id="hold-email" name="email" maxlength="254" autocomplete="off" spellcheck="false" value="{form.Email ?? string.Empty}" aria-describedby="{AdminForms.DescribedBy(errors, "hold-email")}"></div>
            <div class="{AdminForms.FieldClass(errors, "hold-source")}"><label for="hold-source">The source (for a hold on a source)</label><p class="hint" id="hold-source-hint">Every record in it is kept.</p>{AdminForms.Error(errors, "hold-source")}<select id="hold-source" name="sourceKey" aria-describedby="{AdminForms.DescribedBy(errors, "hold-source")}">{options}</select></div>
            <div class="{AdminForms.FieldClass(errors, "hold-reason")}"><label for="hold-reason">Reason</label><p class="hint" id="hold-reason-hint">The claim, case or inquiry it protects, 10 to 500 characters. It is quoted in the completion email of a requester whose data it keeps.</p>{AdminForms.Error(errors, "hold-reason")}<input type="text" id="hold-reason" name="reason" maxlength="500" value="{form.Reason ?? string.Empty}" aria-describedby="{AdminForms.DescribedBy(errors, "hold-reason")}"></div>
            <button type="submit">Place the hold</button>
            </form>
            """), statusCode);
    }

    /// <summary>The hold form as posted, kept to show it again with its problems.</summary>
    private sealed record HoldBody(string? Scope, string? Email, string? SourceKey, string? Reason, string? ReturnUrl);
}
