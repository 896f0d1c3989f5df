using System.Security.Claims;
using DataRights.Host.Hosting;
using DataRights.Host.Http;
using DataRights.Host.Pages;
using DataRights.Host.Staff;
using DataRights.Host.StaffConsole.Admin;
using Microsoft.Extensions.Options;

namespace DataRights.Host.StaffConsole;

/// <summary>The staff console's page chrome: the same stylesheet as the public pages, a wider page, and the console's navigation.</summary>
public static class ConsoleLayout
{
    /// <summary>A console page. <paramref name="user"/> null: a page before sign-in (no navigation).</summary>
    public static IResult Page(HttpContext context, string title, ClaimsPrincipal? user, string? csrf, HtmlString main, int statusCode = StatusCodes.Status200OK)
    {
        var operatorName = context.RequestServices.GetRequiredService<IOptions<DataRightsOptions>>().Value.OperatorName;
        var nav = user is null ? HtmlString.Empty : Navigation(context, user, csrf);
        var html = Html.Of($"""
            <!DOCTYPE html>
            <html lang="en-GB">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer">
            <meta name="robots" content="noindex">
            <title>{title} – Privacy console – {operatorName}</title>
            <link rel="stylesheet" href="/assets/site.css">
            </head>
            <body>
            <a class="skip-link" href="#main">Skip to main content</a>
            <header class="site-header"><p class="operator">{operatorName}</p><p class="service">Privacy console</p></header>
            {nav}
            <main id="main" class="console" tabindex="-1">
            {main}
            </main>
            <footer class="site-footer"><p>{operatorName} privacy console. What you do here is recorded in each request's audit trail.</p></footer>
            </body>
            </html>
            """);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Content(html.Value, "text/html; charset=utf-8", statusCode: statusCode);
    }

    /// <summary>A heading and a paragraph: a console page's whole message.</summary>
    public static IResult Message(HttpContext context, string title, ClaimsPrincipal? user, string? csrf, string heading, string text, int statusCode) =>
        Page(context, title, user, csrf, Layout.Message(heading, text), statusCode);

    private static HtmlString Navigation(HttpContext context, ClaimsPrincipal user, string? csrf)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        HtmlString Link(string href, string text, bool current) => current
            ? Html.Of($"""<li><a href="{href}" aria-current="page">{text}</a></li>""")
            : Html.Of($"""<li><a href="{href}">{text}</a></li>""");
        var name = user.FindFirst(StaffRoles.NameClaim)?.Value ?? "Signed in";
        var signOut = csrf is null ? HtmlString.Empty : Html.Of($"""
            <form method="post" action="{ConsoleRoutes.SignOut}" class="inline">
            <input type="hidden" name="{HttpExtensions.CsrfFieldName}" value="{csrf}">
            <button type="submit" class="link">Sign out</button>
            </form>
            """);
        return Html.Of($"""
            <nav class="console-nav" aria-label="Console">
            <ul>
            {Link(ConsoleRoutes.Inbox, "Requests", path == ConsoleRoutes.Inbox || path.StartsWith(ConsoleRoutes.Requests, StringComparison.Ordinal))}
            {Link(MetricsPage.Route, "Metrics", path == MetricsPage.Route)}
            {Html.When(user.IsInRole(StaffRoles.Admin), AdminNavigation.Items(path))}
            </ul>
            <p class="who">{name} ({(user.IsInRole(StaffRoles.Admin) ? "administrator" : "approver")}) {signOut}</p>
            </nav>
            """);
    }
}
