using System.Globalization;
using DataRights.Core.Retention;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Core.Text;
using DataRights.Host.Pages;
using DataRights.Host.Staff;
using Microsoft.AspNetCore.Antiforgery;

namespace DataRights.Host.StaffConsole.Admin;

/// <summary>
/// <c>/staff/purges</c> (administrators): retention purge runs, newest first, with their totals; each run's report
/// (<c>/staff/purges/{id}</c>) per source and category; and the report as CSV for the signed-in browser
/// (<c>/staff/purges/{id}.csv</c>), written as the staff API writes it.
/// </summary>
public static class PurgesPage
{
    public const int Shown = 50;

    public static async Task<IResult> ListAsync(HttpContext context, IPurgeStore store, IAntiforgery antiforgery)
    {
        var (user, refusal) = await ConsoleAccess.RequireAsync(context, admin: true);
        if (refusal is not null)
        {
            return refusal;
        }

        var csrf = antiforgery.GetAndStoreTokens(context).RequestToken!;
        var runs = await PurgeEndpoints.SummariesAsync(store, Shown, context.RequestAborted);
        var rows = Html.Join(runs.Select(r => Html.Of($"""
            <tr>
            <th scope="row"><a href="{AdminRoutes.Purge(r.Id)}">{ConsoleTexts.Time(r.StartedAt)}</a></th>
            <td>{AdminTexts.Region(r.Region)}</td>
            <td>{AdminTexts.Trigger(r.Trigger)}</td>
            <td>{(r.DryRun ? "Dry run: nothing deleted" : "Purge")}</td>
            <td>{AdminTexts.RunStatus(r.Status)}</td>
            <td>{r.Summary}</td>
            </tr>
            """)));
        var table = runs.Count == 0 ? Html.Of($"<p>No purge has run yet.</p>") : Html.Of($"""
            <table class="console-table">
            <caption class="visually-hidden">Purge runs, newest first</caption>
            <thead><tr><th scope="col">Started</th><th scope="col">Region</th><th scope="col">Started by</th><th scope="col">Kind</th><th scope="col">Status</th><th scope="col">Totals</th></tr></thead>
            <tbody>
            {rows}
            </tbody>
            </table>
            """);
        return ConsoleLayout.Page(context, "Purges", user, csrf, Html.Of($"""
            <h1>Retention purges</h1>
            <p>Each region's nightly purge of records past their retention, and the runs staff started, newest first (the last {Shown.ToString(CultureInfo.InvariantCulture)}). Open a run for its report.</p>
            {table}
            """));
    }

    public static async Task<IResult> ReportAsync(string id, HttpContext context, IPurgeStore store, IDataSourceRegistry sources, ISourceRegistrationStore registrations, IAntiforgery antiforgery)
    {
        var (user, refusal) = await ConsoleAccess.RequireAsync(context, admin: true);
        if (refusal is not null)
        {
            return refusal;
        }

        var csrf = antiforgery.GetAndStoreTokens(context).RequestToken!;
        if (await store.GetAsync(id, context.RequestAborted) is not { } run)
        {
            return NotFound(context, user!, csrf);
        }

        var report = await PurgeEndpoints.ReportAsync(run, store, sources, context.RequestAborted);
        var names = (await registrations.ListAsync(context.RequestAborted)).ToDictionary(s => s.Registration.Key, s => s.Registration.DisplayName, StringComparer.Ordinal);
        string Count(long n) => n.ToString("N0", CultureInfo.GetCultureInfo("en-GB"));
        var rows = Html.Join(report.Rows.Select(r => Html.Of($"""
            <tr>
            <th scope="row">{names.GetValueOrDefault(r.Source, "A source no longer registered")}</th>
            <td>{r.CategoryName}{(r.RequestId is { } requestId ? Html.Of($"""<br><a href="{ConsoleRoutes.Request(requestId)}">The erasure request</a>""") : HtmlString.Empty)}</td>
            <td>{AdminTexts.RowKind(r.Kind)}{(r.Cutoff is { } cutoff ? Html.Of($"""<br><span class="hint">Dated before {ConsoleTexts.Date(cutoff)}</span>""") : HtmlString.Empty)}</td>
            <td>{AdminTexts.RowState(r.State)}</td>
            <td class="number">{Count(r.Scanned)}</td>
            <td class="number">{Count(r.Purged)}</td>
            <td class="number">{Count(r.Held)}</td>
            <td class="number">{Count(r.Retained)}</td>
            <td class="number">{Count(r.Errors)}</td>
            <td>{r.Note ?? string.Empty}</td>
            </tr>
            """)));
        var table = report.Rows.Count == 0 ? Html.Of($"<p>This run had nothing to do: no rule applied to any source.</p>") : Html.Of($"""
            <table class="console-table">
            <caption class="visually-hidden">What the run did, per source and kind of data</caption>
            <thead><tr><th scope="col">Source</th><th scope="col">Data</th><th scope="col">Why</th><th scope="col">State</th><th scope="col">Looked at</th><th scope="col">{(run.DryRun ? "Would purge" : "Purged")}</th><th scope="col">Held</th><th scope="col">Kept</th><th scope="col">Errors</th><th scope="col">Note</th></tr></thead>
            <tbody>
            {rows}
            </tbody>
            </table>
            """);
        var chain = report.Audit.ChainValid
            ? Html.Of($"""<p class="chain ok"><strong>The retention audit trail is intact:</strong> all {Plural.Count(report.Audit.ChainEntries, "entry", "entries")} link up; this run wrote {Plural.Count(report.Audit.Entries.Count, "of them", "of them")}.</p>""")
            : Html.Of($"""<p class="chain broken" role="alert"><strong>The retention audit trail does not check out:</strong> {report.Audit.Problem}. Tell your administrator.</p>""");
        return ConsoleLayout.Page(context, "Purge report", user, csrf, Html.Of($"""
            <p><a href="{AdminRoutes.Purges}">Back to the purges</a></p>
            <h1>Purge of {AdminTexts.Region(run.Region)}, {ConsoleTexts.Time(run.StartedAt)}</h1>
            <p class="lead">{report.Summary}</p>
            <dl class="summary">
            <dt>Started by</dt><dd>{AdminTexts.Trigger(run.Trigger)}</dd>
            <dt>Kind</dt><dd>{(run.DryRun ? "Dry run: it only counted what would go" : "Purge: records were deleted")}</dd>
            <dt>Status</dt><dd>{AdminTexts.RunStatus(run.Status)}</dd>
            <dt>Finished</dt><dd>{(run.FinishedAt is { } finished ? ConsoleTexts.Time(finished) : "Not yet")}</dd>
            </dl>
            <p><a href="{AdminRoutes.PurgeCsv(run.Id)}" download>Download this report as a spreadsheet (CSV)</a></p>
            {table}
            {chain}
            """));
    }

    public static async Task<IResult> CsvAsync(string id, HttpContext context, IPurgeStore store, IAntiforgery antiforgery, ILogger<ConsoleAccessLog> logger)
    {
        var (user, refusal) = await ConsoleAccess.RequireAsync(context, admin: true);
        if (refusal is not null)
        {
            return refusal;
        }

        if (await store.GetAsync(id, context.RequestAborted) is null)
        {
            return NotFound(context, user!, antiforgery.GetAndStoreTokens(context).RequestToken!);
        }

        logger.PurgeReportDownloaded(id);
        context.Response.Headers.CacheControl = "no-store";
        return await PurgeEndpoints.CsvAsync(id, store, context.RequestAborted);
    }

    private static IResult NotFound(HttpContext context, System.Security.Claims.ClaimsPrincipal user, string csrf) =>
        ConsoleLayout.Page(context, "Purge not found", user, csrf, Html.Of($"""
            <h1>Purge not found</h1>
            <p>There is no purge run at this address. <a href="{AdminRoutes.Purges}">Back to the purges</a></p>
            """), StatusCodes.Status404NotFound);
}
