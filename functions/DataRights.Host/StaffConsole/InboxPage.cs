using System.Globalization;
using DataRights.Core.Deadlines;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using DataRights.Host.Pages;
using DataRights.Host.Staff;
using Microsoft.AspNetCore.Antiforgery;

namespace DataRights.Host.StaffConsole;

/// <summary>
/// <c>/staff</c>: open requests, most urgent first (soonest due, so overdue ones lead), with the time left in words and
/// colour, filters and search. A page is one query of the inbox index (filtered by the index itself), then a read of
/// the requests shown, side by side; the index may lag a request's last commit by a moment, so a request is shown only
/// if it still matches, and a stale index entry is put right. When the index stops looking before it fills a page (a
/// narrow filter over a long list), the page offers the next stretch.
/// </summary>
public static class InboxPage
{
    public const int PageSize = 25;

    public static async Task<IResult> ShowAsync(HttpContext context, IInboxIndex index, IRequestStore store, DeadlineRegimes regimes, TimeProvider time, IAntiforgery antiforgery,
        ISubmissionInbox submissions)
    {
        var (user, refusal) = await ConsoleAccess.RequireAsync(context);
        if (refusal is not null)
        {
            return refusal;
        }

        var csrf = antiforgery.GetAndStoreTokens(context).RequestToken!;
        var query = InboxQuery.Read(context.Request.Query);
        var setAside = SetAsideNotice((await submissions.ListSetAsideAsync(SetAsidePage.Listed, context.RequestAborted)).Count);
        if (query.Errors.Count > 0)
        {
            return ConsoleLayout.Page(context, "Requests", user, csrf, Html.Of($"{setAside}{Render(query, [], null, scannedOut: false, time, regimes)}"), StatusCodes.Status400BadRequest);
        }

        var now = time.GetUtcNow();
        var filter = query.ToFilter(regimes, now);
        var page = await InboxReader.ReadAsync(
            index, store, filter, query.After, PageSize, r => query.Matches(r, DeadlineCalculator.LocalDate(regimes.For(r.Jurisdiction), now)), context.RequestAborted);
        return ConsoleLayout.Page(context, "Requests", user, csrf, Html.Of($"{setAside}{Render(query, page.Requests, page.Next, scannedOut: page.ScannedOut, time, regimes)}"));
    }

    /// <summary>Above the list, while any request received is set aside, not taken in: how many, and the link to them.</summary>
    private static HtmlString SetAsideNotice(int count) => count == 0 ? HtmlString.Empty : Html.Of($"""
        <div class="notice-panel problem" role="status"><p>{(count == 1 ? "1 request" : count.ToString(CultureInfo.InvariantCulture) + " requests")} received could not be taken in and {(count == 1 ? "is" : "are")} set aside, with the deadline running. <a href="{ConsoleRoutes.SetAside}">See the requests set aside</a></p></div>
        """);

    private static HtmlString Render(InboxQuery query, IReadOnlyList<DataSubjectRequest> requests, OpenRequestCursor? next, bool scannedOut, TimeProvider time, DeadlineRegimes regimes)
    {
        var now = time.GetUtcNow();
        var errors = query.Errors.Count == 0 ? HtmlString.Empty : Html.Of($"""
            <div class="error-summary" role="alert"><h2>There is a problem</h2><ul>{Html.Join(query.Errors.Select(e => Html.Of($"""<li><a href="#filter-{e.Key}">{e.Value}</a></li>"""))) }</ul></div>
            """);
        var rows = Html.Join(requests.Select(r =>
        {
            var today = DeadlineCalculator.LocalDate(regimes.For(r.Jurisdiction), now);
            var urgency = ConsoleTexts.Urgency(r.Deadline.DueOn, today);
            var alerts = r.Progress.Alerts.Count == 0 ? HtmlString.Empty : Html.Of($"""<br><span class="tag overdue">{(r.Progress.Alerts.Count == 1 ? "1 failure" : r.Progress.Alerts.Count.ToString(CultureInfo.InvariantCulture) + " failures")}</span>""");
            return Html.Of($"""
                <tr>
                <th scope="row"><a href="{ConsoleRoutes.Request(r.Id)}">{r.Reference}</a></th>
                <td>{r.FullName}<br><span class="hint">{r.Email}</span></td>
                <td>{ConsoleTexts.Right(r.Type)}</td>
                <td>{RequestTexts.Describe(r.Jurisdiction)}</td>
                <td>{ConsoleTexts.Status(r.Status)}{alerts}</td>
                <td><span class="tag {urgency}">{ConsoleTexts.DaysLeft(r.Deadline.DueOn, today, StatutoryClock.IsPaused(r.Progress))}</span><br><span class="hint">Due {ConsoleTexts.Date(r.Deadline.DueOn)}</span></td>
                </tr>
                """);
        }));
        var table = requests.Count == 0
            ? Html.Of($"<p>{(query.Errors.Count > 0 ? "Correct the filters to see requests." : "No open requests match.")}</p>")
            : Html.Of($"""
                <table class="console-table">
                <caption class="visually-hidden">Open requests, most urgent first</caption>
                <thead><tr><th scope="col">Reference</th><th scope="col">Requester</th><th scope="col">Right</th><th scope="col">Where</th><th scope="col">Status</th><th scope="col">Time left</th></tr></thead>
                <tbody>
                {rows}
                </tbody>
                </table>
                """);
        var filters = query.FilterQuery();
        var nextLink = next is null ? HtmlString.Empty : Html.Of($"""
            <p><a href="{ConsoleRoutes.Inbox}?{(filters.Length > 0 ? filters + "&" : string.Empty)}after={Uri.EscapeDataString(ContinuationTokens.Write(next))}" rel="next">{(scannedOut ? "Look further down the list" : "Next page")}</a></p>
            """);
        var scanNote = scannedOut ? Html.Of($"<p>We stopped looking part of the way down the list for these filters; more may match further down.</p>") : HtmlString.Empty;
        var firstLink = query.After is null ? HtmlString.Empty : Html.Of($"""<p><a href="{ConsoleRoutes.Inbox}{(filters.Length > 0 ? "?" + filters : string.Empty)}">Back to the first page</a></p>""");
        return Html.Of($"""
            {errors}
            <h1>Open requests</h1>
            <p>Most urgent first. Time left counts to each request's legal deadline.</p>
            <form method="get" action="{ConsoleRoutes.Inbox}" class="filters" role="search" aria-label="Filter requests">
            <div class="field"><label for="filter-q">Reference or email address</label><input type="text" id="filter-q" name="q" maxlength="254" value="{query.Search ?? string.Empty}"></div>
            <div class="field"><label for="filter-status">Status</label><select id="filter-status" name="status">{Options(Enum.GetValues<RequestStatus>().Where(Open).Select(s => (s.Name(), ConsoleTexts.Status(s))), query.Status?.Name())}</select></div>
            <div class="field"><label for="filter-right">Right</label><select id="filter-right" name="right">{Options(Enum.GetValues<RequestType>().Select(t => (t.Name(), ConsoleTexts.Right(t))), query.Type?.Name())}</select></div>
            <div class="field"><label for="filter-jurisdiction">Where the requester is</label><select id="filter-jurisdiction" name="jurisdiction">{Options(Enum.GetValues<Jurisdiction>().Select(j => (j.Name(), RequestTexts.Describe(j))), query.Jurisdiction?.Name())}</select></div>
            <div class="field"><label for="filter-waiting">Waiting on</label><select id="filter-waiting" name="waiting">{Options(new[] { WaitingOn.Us, WaitingOn.Requester, WaitingOn.Source }.Select(w => (w.ToString().ToLowerInvariant(), ConsoleTexts.Describe(w))), query.WaitingOn?.ToString().ToLowerInvariant())}</select></div>
            <div class="radio"><input type="checkbox" id="filter-overdue" name="overdue" value="yes"{(query.OverdueOnly ? new HtmlString(" checked") : HtmlString.Empty)}><label for="filter-overdue">Overdue only</label></div>
            <button type="submit">Show requests</button>
            </form>
            {scanNote}
            {table}
            {nextLink}
            {firstLink}
            """);
    }

    private static bool Open(RequestStatus s) => s is not (RequestStatus.Completed or RequestStatus.Rejected or RequestStatus.Expired);

    private static HtmlString Options(IEnumerable<(string Value, string Text)> options, string? selected) =>
        Html.Join(options.Select(o => o.Value == selected
            ? Html.Of($"""<option value="{o.Value}" selected>{o.Text}</option>""")
            : Html.Of($"""<option value="{o.Value}">{o.Text}</option>""")).Prepend(Html.Of($"""<option value="any">Any</option>""")));
}
