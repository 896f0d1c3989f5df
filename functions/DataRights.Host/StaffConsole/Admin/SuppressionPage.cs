using System.Security.Claims;
using DataRights.Core.Ports;
using DataRights.Host.Http;
using DataRights.Host.Pages;
using DataRights.Host.Staff;
using Microsoft.AspNetCore.Antiforgery;

namespace DataRights.Host.StaffConsole.Admin;

/// <summary>
/// <c>/staff/suppression</c> (administrators): whether one email address is on the marketing suppression list, yes or no,
/// checked as the staff API does (<see cref="SuppressionEndpoints.IsSuppressedAsync"/>). The list itself is never shown.
/// The address is posted, never put in the address bar, and a check changes nothing, so the answer comes straight back.
/// </summary>
public static class SuppressionPage
{
    private const string Field = "suppression-email";

    public static async Task<IResult> ShowAsync(HttpContext context, IAntiforgery antiforgery)
    {
        var (user, refusal) = await ConsoleAccess.RequireAsync(context, admin: true);
        if (refusal is not null)
        {
            return refusal;
        }

        return Render(context, user!, antiforgery.GetAndStoreTokens(context).RequestToken!, email: null, HtmlString.Empty, errors: null, StatusCodes.Status200OK);
    }

    public static async Task<IResult> CheckAsync(HttpContext context, ISuppressionList list, IAntiforgery antiforgery, ILogger<ConsoleAccessLog> logger)
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

        var csrf = antiforgery.GetAndStoreTokens(context).RequestToken!;
        var email = context.Request.Form["email"].ToString().Trim();
        if (await SuppressionEndpoints.IsSuppressedAsync(list, email, context.RequestAborted) is not { } suppressed)
        {
            return Render(context, user!, csrf, email, HtmlString.Empty,
                new Dictionary<string, string> { [Field] = "Enter an email address, like name@example.com." }, StatusCodes.Status400BadRequest);
        }

        logger.SuppressionChecked();
        var answer = suppressed
            ? Html.Of($"""<div class="notice-panel problem" role="status"><h2>Yes: on the suppression list</h2><p>Do not send this address direct marketing: its owner objected to it.</p></div>""")
            : Html.Of($"""<div class="notice-panel" role="status"><h2>No: not on the suppression list</h2><p>Nobody with this address has objected to direct marketing through a request.</p></div>""");
        return Render(context, user!, csrf, email, answer, errors: null, StatusCodes.Status200OK);
    }

    private static IResult Render(HttpContext context, ClaimsPrincipal user, string csrf, string? email, HtmlString answer, IReadOnlyDictionary<string, string>? errors, int statusCode) =>
        ConsoleLayout.Page(context, "Suppression check", user, csrf, Html.Of($"""
            {AdminForms.ErrorSummary(errors)}
            <h1>Marketing suppression check</h1>
            <p>People who objected to direct marketing through a request are on the suppression list, kept as a one-way code of their email address. The entry stays when their data is erased. Check one address here; the list itself is not shown.</p>
            {answer}
            <form method="post" action="{AdminRoutes.Suppression}" novalidate>
            {AdminForms.Csrf(csrf)}
            <div class="{AdminForms.FieldClass(errors, Field)}"><label for="{Field}">Email address</label><p class="hint" id="{Field}-hint">Upper and lower case are the same.</p>{AdminForms.Error(errors, Field)}<input type="email" id="{Field}" name="email" maxlength="254" autocomplete="off" spellcheck="false" value="{email ?? string.Empty}" aria-describedby="{AdminForms.DescribedBy(errors, Field)}"></div>
            <button type="submit">Check the address</button>
            </form>
            """), statusCode);
}
