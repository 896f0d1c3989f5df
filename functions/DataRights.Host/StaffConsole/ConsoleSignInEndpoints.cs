using System.Security.Claims;
using DataRights.Core.Text;
using DataRights.Host.Hosting;
using DataRights.Host.Http;
using DataRights.Host.Pages;
using DataRights.Host.Staff;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace DataRights.Host.StaffConsole;

/// <summary>
/// Signing in to the console. With Microsoft Entra ID browser sign-in configured, <c>/staff/signin</c> hands over to it
/// (<c>/signin</c>, the OpenID Connect code flow with PKCE); locally, with the development sign-in on (Development and
/// <c>DataRights:DevSignIn=true</c>), it asks for a name and a role. Either ends in the staff browser cookie.
/// </summary>
public static class ConsoleSignInEndpoints
{
    public static IEndpointRouteBuilder MapConsoleSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet(ConsoleRoutes.SignIn, Show).ExcludeFromDescription();
        app.MapPost(ConsoleRoutes.SignIn, SignInAsync).ExcludeFromDescription().DisableAntiforgery();
        app.MapPost(ConsoleRoutes.SignOut, SignOutAsync).ExcludeFromDescription().DisableAntiforgery();
        return app;
    }

    private static IResult Show(HttpContext context, ApproverSignIn entra, IHostEnvironment environment, IConfiguration configuration, IAntiforgery antiforgery)
    {
        var returnUrl = context.Request.Query["returnUrl"].ToString();
        if (!ConsoleRoutes.IsConsolePath(returnUrl))
        {
            returnUrl = ConsoleRoutes.Inbox;
        }

        if (entra.Enabled)
        {
            return TypedResults.Redirect("/signin?returnUrl=" + Uri.EscapeDataString(returnUrl));
        }

        if (!DevSignIn.IsOn(environment, configuration))
        {
            return ConsoleLayout.Message(context, "Sign-in not set up", null, null, "Sign-in is not set up",
                "Staff sign in with their work account (Microsoft Entra ID), which is not set up on this site yet. Ask your administrator.", StatusCodes.Status503ServiceUnavailable);
        }

        return Form(context, antiforgery, returnUrl, name: null, error: null);
    }

    private static async Task<IResult> SignInAsync(HttpContext context, IHostEnvironment environment, IConfiguration configuration, IAntiforgery antiforgery, ILogger<ConsoleAccessLog> logger)
    {
        if (!DevSignIn.IsOn(environment, configuration))
        {
            return TypedResults.NotFound();
        }

        if (await FormPosts.CheckAsync(context, antiforgery) is { } refused)
        {
            return refused;
        }

        var form = context.Request.Form;
        var returnUrl = form["returnUrl"].ToString();
        if (!ConsoleRoutes.IsConsolePath(returnUrl))
        {
            returnUrl = ConsoleRoutes.Inbox;
        }

        var name = form["name"].ToString().Trim();
        var role = form["role"].ToString();
        string? error = name.Length is 0 or > 100 || TextRules.HasForbiddenCharacters(name, multiLine: false) ? "Enter your name (up to 100 characters)."
            : role is not ("approver" or "admin") ? "Choose your role."
            : null;
        if (error is not null)
        {
            return Form(context, antiforgery, returnUrl, name, error);
        }

        var claims = new List<Claim> { new(StaffRoles.NameClaim, name), new(StaffRoles.RoleClaim, StaffRoles.Approver) };
        if (role == "admin")
        {
            claims.Add(new Claim(StaffRoles.RoleClaim, StaffRoles.Admin));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, "DevSignIn", StaffRoles.NameClaim, StaffRoles.RoleClaim));
        await context.SignInAsync(ApproverSignIn.CookieScheme, principal);
        logger.DevSignedIn(role);
        return TypedResults.Redirect(returnUrl);
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery, ILogger<ConsoleAccessLog> logger)
    {
        if ((await ConsoleAccess.RequireAsync(context)).Refusal is { } refusal)
        {
            return refusal;
        }

        if (await FormPosts.CheckAsync(context, antiforgery) is { } refused)
        {
            return refused;
        }

        await context.SignOutAsync(ApproverSignIn.CookieScheme);
        logger.SignedOut();
        return ConsoleLayout.Page(context, "Signed out", null, null, Html.Of($"""
            <h1>You are signed out</h1>
            <p>You are no longer signed in to the privacy console on this browser.</p>
            <p><a href="{ConsoleRoutes.SignIn}">Sign in again</a></p>
            """));
    }

    private static IResult Form(HttpContext context, IAntiforgery antiforgery, string returnUrl, string? name, string? error)
    {
        var csrf = antiforgery.GetAndStoreTokens(context).RequestToken!;
        var summary = error is null ? HtmlString.Empty : Html.Of($"""
            <div class="error-summary" role="alert" tabindex="-1"><h2>There is a problem</h2><ul><li><a href="#{(error.StartsWith("Enter", StringComparison.Ordinal) ? "name" : "role-approver")}">{error}</a></li></ul></div>
            """);
        return ConsoleLayout.Page(context, "Sign in", null, null, Html.Of($"""
            {summary}
            <h1>Sign in to the privacy console</h1>
            <p class="notice">This is the development sign-in, for trying the console on this computer. On Azure, staff sign in with their work account.</p>
            <form method="post" action="{ConsoleRoutes.SignIn}" novalidate>
            <input type="hidden" name="{HttpExtensions.CsrfFieldName}" value="{csrf}">
            <input type="hidden" name="returnUrl" value="{returnUrl}">
            <div class="field"><label for="name">Your name</label><input type="text" id="name" name="name" autocomplete="name" maxlength="100" value="{name ?? string.Empty}"></div>
            <fieldset><legend>Your role</legend>
            <div class="radio"><input type="radio" id="role-approver" name="role" value="approver" checked><label for="role-approver">Approver: decide on requests</label></div>
            <div class="radio"><input type="radio" id="role-admin" name="role" value="admin"><label for="role-admin">Administrator: also sources, retention and purges</label></div>
            </fieldset>
            <button type="submit">Sign in</button>
            </form>
            """), error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }
}
