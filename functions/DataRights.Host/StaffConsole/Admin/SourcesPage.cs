using System.Globalization;
using System.Security.Claims;
using DataRights.Core.Ports;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Core.Text;
using DataRights.Host.Http;
using DataRights.Host.Pages;
using Microsoft.AspNetCore.Antiforgery;

namespace DataRights.Host.StaffConsole.Admin;

/// <summary>
/// <c>/staff/sources</c> (administrators): each registered source, active or not, when it last answered a search and how
/// many open requests it failed in (<see cref="SourceActivity"/>), and a button to test its connection
/// (<c>POST /staff/sources/{key}/test</c>), which changes nothing and so answers with the page and the result at once.
/// </summary>
public static class SourcesPage
{
    public static async Task<IResult> ShowAsync(HttpContext context, ISourceRegistrationStore registrations, IRequestStore requests, IAntiforgery antiforgery)
    {
        var (user, refusal) = await ConsoleAccess.RequireAsync(context, admin: true);
        if (refusal is not null)
        {
            return refusal;
        }

        var csrf = antiforgery.GetAndStoreTokens(context).RequestToken!;
        return await RenderAsync(context, user!, csrf, registrations, requests, HtmlString.Empty, StatusCodes.Status200OK);
    }

    public static async Task<IResult> TestAsync(string key, HttpContext context, ISourceRegistrationStore registrations, IRequestStore requests, IDataSourceRegistry registry,
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

        var csrf = antiforgery.GetAndStoreTokens(context).RequestToken!;
        if ((await registrations.ListAsync(context.RequestAborted)).FirstOrDefault(s => s.Registration.Key == key) is not { } source)
        {
            return ConsoleLayout.Page(context, "Source not found", user, csrf, Html.Of($"""
                <h1>Source not found</h1>
                <p>No source is registered at this address. <a href="{AdminRoutes.Sources}">Back to the sources</a></p>
                """), StatusCodes.Status404NotFound);
        }

        var name = source.Registration.DisplayName;
        HtmlString result;
        if (registry.Connector(key) is not { } connector)
        {
            logger.SourceTested(key, reachable: false, "not active");
            result = Result(false, $"{name}: not tested. It is not active, so requests do not reach it and there is no connection to test.");
        }
        else
        {
            var test = await connector.TestAsync(context.RequestAborted);
            logger.SourceTested(key, test.Reachable, test.Error ?? "none");
            result = Result(test.Reachable, test.Reachable ? $"{name}: connected. {test.Detail}" : $"{name}: could not connect. {test.Detail}");
        }

        return await RenderAsync(context, user!, csrf, registrations, requests, result, StatusCodes.Status200OK);
    }

    private static HtmlString Result(bool ok, string text) => Html.Of($"""
        <div class="{(ok ? "notice-panel" : "notice-panel problem")}" role="status"><h2>Connection test</h2><p>{text}</p></div>
        """);

    private static async Task<IResult> RenderAsync(HttpContext context, ClaimsPrincipal user, string csrf, ISourceRegistrationStore registrations, IRequestStore requests,
        HtmlString result, int statusCode)
    {
        var sources = (await registrations.ListAsync(context.RequestAborted)).OrderByDescending(s => s.Active).ThenBy(s => s.Registration.DisplayName, StringComparer.CurrentCulture).ToList();
        var activity = await SourceActivity.ReadAsync(requests, context.RequestAborted);
        var rows = Html.Join(sources.Select(s =>
        {
            var r = s.Registration;
            var last = activity.LastAnswered.TryGetValue(r.Key, out var at) ? ConsoleTexts.Time(at) : "Not in any open request";
            var problems = activity.Problems.GetValueOrDefault(r.Key);
            var problemText = problems == 0 ? Html.Of($"None") : Html.Of($"""<span class="tag overdue">{Plural.Count(problems, "open request")}</span>""");
            return Html.Of($"""
                <tr>
                <th scope="row">{r.DisplayName}</th>
                <td>{AdminTexts.Kind(r.ConnectorType)}</td>
                <td>{AdminTexts.Access(r.Access)}</td>
                <td>{(s.Active ? "Active" : "Not active: requests no longer go to it")}<br><span class="hint">Changed {ConsoleTexts.Time(s.UpdatedAt)} by {Evidence.EvidenceText.Actor(s.UpdatedBy)}</span></td>
                <td>{last}</td>
                <td>{problemText}</td>
                <td><form method="post" action="{AdminRoutes.SourceTest(r.Key)}" class="inline">{AdminForms.Csrf(csrf)}<button type="submit" class="secondary">Test the connection<span class="visually-hidden"> to {r.DisplayName}</span></button></form></td>
                </tr>
                """);
        }));
        var table = sources.Count == 0 ? Html.Of($"<p>No sources are registered.</p>") : Html.Of($"""
            <table class="console-table">
            <caption class="visually-hidden">Registered sources</caption>
            <thead><tr><th scope="col">System</th><th scope="col">Kind</th><th scope="col">Access</th><th scope="col">State</th><th scope="col">Last answered a search</th><th scope="col">Failed in</th><th scope="col"><span class="visually-hidden">Test</span></th></tr></thead>
            <tbody>
            {rows}
            </tbody>
            </table>
            """);
        var scope = activity.ScannedOut
            ? $"The last two columns come from the first {activity.Scanned.ToString(CultureInfo.InvariantCulture)} open requests, most urgent first; requests that have closed are not counted."
            : "The last two columns come from the open requests; requests that have closed are not counted.";
        return ConsoleLayout.Page(context, "Sources", user, csrf, Html.Of($"""
            {result}
            <h1>Sources</h1>
            <p>The systems that requests are searched and carried out in. Testing a connection changes nothing in the system.</p>
            {table}
            <p class="hint">{scope} "Last answered a search" reads the audit trails of the {SourceActivity.TrailsRead.ToString(CultureInfo.InvariantCulture)} most recent of them.</p>
            """), statusCode);
    }
}
