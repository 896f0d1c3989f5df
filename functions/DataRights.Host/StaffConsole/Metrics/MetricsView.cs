using System.Globalization;
using DataRights.Core.Metrics;
using DataRights.Core.Requests;
using DataRights.Host.Pages;

namespace DataRights.Host.StaffConsole.Metrics;

/// <summary>
/// The metrics page's main content: the figures in words, then each chart with a table of the same numbers beside it,
/// then the link to the California annual metrics (CSV) at the address the caller gives. Well-formed XML throughout
/// (the charts are inline SVG), no script, no inline styles.
/// </summary>
public static class MetricsView
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    /// <param name="report">The period's metrics.</param>
    /// <param name="ccpaYear">The calendar year the California metrics link gives.</param>
    /// <param name="ccpaCsvUrl">Where that CSV is served: a path on this site (starting with one "/").</param>
    public static HtmlString Render(MetricsReport report, int ccpaYear, string ccpaCsvUrl)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!ccpaCsvUrl.StartsWith('/') || ccpaCsvUrl.StartsWith("//", StringComparison.Ordinal))
        {
            throw new ArgumentException("The CSV's address is a path on this site, such as /console/metrics/ccpa-2025.csv.", nameof(ccpaCsvUrl));
        }

        var lastDay = DateOnly.FromDateTime(report.To.UtcDateTime.AddTicks(-1));
        var months = report.Months.Select(m => (Label: MonthName(m), m.Total)).ToList();
        var types = Enum.GetValues<RequestType>().Select(t => (Label: Right(t), Value: report.ByType[t])).ToList();
        var places = Enum.GetValues<Jurisdiction>().Select(j => (Label: RequestTexts.Describe(j), Value: report.ByJurisdiction[j])).ToList();

        return Html.Of($"""
            <h1>Request metrics</h1>
            <p>Requests received from {LongDate(DateOnly.FromDateTime(report.From.UtcDateTime))} to {LongDate(lastDay)} (UTC), as they stood on {LongDate(DateOnly.FromDateTime(report.At.UtcDateTime))} at {report.At.UtcDateTime.ToString("HH:mm", English)} UTC.</p>
            <h2 id="summary">Summary</h2>
            <ul class="metrics-summary">
            {Summary(report)}</ul>
            <h2 id="by-month">Requests received each month</h2>
            {SvgBarChart.Render("chart-month", "Requests received each month", Describe(months, "in one month"), months.Select(m => (m.Label, m.Total)).ToList())}
            {MonthTable(report, "month-by-type", "Requests received each month, by right", Enum.GetValues<RequestType>().Select(t => (Right(t), (Func<MonthlyRequests, int>)(m => m.ByType[t]))))}
            {MonthTable(report, "month-by-place", "Requests received each month, by where the person lives", Enum.GetValues<Jurisdiction>().Select(j => (RequestTexts.Describe(j), (Func<MonthlyRequests, int>)(m => m.ByJurisdiction[j]))))}
            <h2 id="by-right">Requests by right</h2>
            {SvgBarChart.Render("chart-right", "Requests by right", Describe(types, "for one right"), types)}
            {Table("Requests received in the period, by right", "Right", types)}
            <h2 id="by-place">Requests by where the person lives</h2>
            {SvgBarChart.Render("chart-place", "Requests by where the person lives", Describe(places, "from one place"), places)}
            {Table("Requests received in the period, by where the person lives", "Where the person lives", places)}
            <h2 id="california">California annual metrics</h2>
            <p>The California regulations (11 CCR §7102) ask large businesses to publish, by 1 July, how many requests to know, delete, correct, opt out and limit they received, complied with and denied in the previous calendar year, and the median days to respond.</p>
            <p><a href="{ccpaCsvUrl}">Download the California metrics for {ccpaYear.ToString(CultureInfo.InvariantCulture)} (CSV)</a></p>
            """);
    }

    private static HtmlString Summary(MetricsReport r)
    {
        var lines = new List<HtmlString>
        {
            Item(Count(r.Received, "request", "requests") + " received."),
            Item(r.OnTimePercent is { } percent
                ? $"{Number(percent)}% closed on time ({Number(r.ClosedOnTime)} of {Number(r.Closed)})."
                : "None closed yet, so there is no on-time figure."),
        };
        if (r.MedianDaysToClose is { } median && r.Percentile90DaysToClose is { } p90)
        {
            lines.Add(Item($"Half were closed {Within(median)}; 9 in 10 {Within(p90)} (calendar days from receipt)."));
        }

        lines.Add(Item($"{Count(r.Open, "request", "requests")} still open, {Number(r.OverdueNow)} of them overdue now."));
        if (r.SetAside > 0)
        {
            lines.Add(Item($"{Count(r.SetAside, "of them is", "of them are")} received but set aside, not taken in, with the deadline running: see the requests set aside."));
        }

        lines.Add(Item($"{Count(r.ExtensionsUsed, "deadline", "deadlines")} extended."));
        lines.Add(Item($"{Count(r.Rejected, "request", "requests")} rejected; {Number(r.CompletedInPart)} completed in part (some records kept back, or categories given instead of copies)."));
        lines.Add(Item($"{Count(r.Lapsed, "request", "requests")} closed because the person never confirmed their email address (not counted in the on-time figures)."));
        if (r.HandledByHand > 0)
        {
            lines.Add(Item($"{Count(r.HandledByHand, "request was", "requests were")} set aside, not taken in, and handled by hand outside DataRights: counted as staff recorded them, closed on the day they answered the person."));
        }

        if (r.ClosedAtUnknown > 0)
        {
            lines.Add(Item($"{Count(r.ClosedAtUnknown, "request was", "requests were")} closed before closing times were recorded, so the on-time and days figures leave them out."));
        }

        return Html.Join(lines.Select(l => Html.Of($"{l}\n")));
    }

    private static HtmlString Item(string text) => Html.Of($"<li>{text}</li>");

    private static HtmlString Table(string caption, string heading, IReadOnlyList<(string Label, int Value)> rows) => Html.Of($"""
        <table class="console-table">
        <caption>{caption}</caption>
        <thead><tr><th scope="col">{heading}</th><th scope="col">Requests</th></tr></thead>
        <tbody>
        {Html.Join(rows.Select(row => Html.Of($"<tr><th scope=\"row\">{row.Label}</th><td>{Number(row.Value)}</td></tr>\n")))}</tbody>
        </table>
        """);

    private static HtmlString MonthTable(MetricsReport report, string id, string caption, IEnumerable<(string Heading, Func<MonthlyRequests, int> Count)> columns)
    {
        var list = columns.ToList();
        var head = Html.Join(list.Select(c => Html.Of($"<th scope=\"col\">{c.Heading}</th>")));
        var body = Html.Join(report.Months.Select(m => Html.Of(
            $"<tr><th scope=\"row\">{MonthName(m)}</th><td>{Number(m.Total)}</td>{Html.Join(list.Select(c => Html.Of($"<td>{Number(c.Count(m))}</td>")))}</tr>\n")));
        return Html.Of($"""
            <table class="console-table" id="{id}">
            <caption>{caption}</caption>
            <thead><tr><th scope="col">Month</th><th scope="col">All requests</th>{head}</tr></thead>
            <tbody>
            {body}</tbody>
            </table>
            """);
    }

    /// <summary>The chart's description: the biggest bar and the total, so the picture's point is said in words.</summary>
    private static string Describe(IReadOnlyList<(string Label, int Value)> bars, string what)
    {
        var total = bars.Sum(b => b.Value);
        if (total == 0)
        {
            return "No requests were received in the period.";
        }

        var top = bars.MaxBy(b => b.Value);
        return $"{Count(total, "request", "requests")} in all. Most {what}: {top.Label}, with {Number(top.Value)}. The table below gives every figure.";
    }

    /// <summary>The right as staff name it (the console's short names).</summary>
    private static string Right(RequestType type) => ConsoleTexts.Right(type);

    private static string MonthName(MonthlyRequests m) => new DateOnly(m.Year, m.Month, 1).ToString("MMMM yyyy", English);

    private static string LongDate(DateOnly date) => date.ToString("d MMMM yyyy", English);

    private static string Days(double days) => days == 1 ? "1 day" : days.ToString("#,##0.#", English) + " days";

    /// <summary>"within 3 days", or "on the day they were received" for none.</summary>
    private static string Within(double days) => days == 0 ? "on the day they were received" : "within " + Days(days);

    private static string Count(int n, string one, string many) => n == 1 ? $"1 {one}" : $"{Number(n)} {many}";

    private static string Number(int n) => n.ToString("#,##0", English);
}
