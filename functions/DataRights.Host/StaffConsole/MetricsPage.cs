using System.Globalization;
using DataRights.Core.Deadlines;
using DataRights.Core.Metrics;
using DataRights.Core.Ports;
using DataRights.Host.StaffConsole.Metrics;
using Microsoft.AspNetCore.Antiforgery;

namespace DataRights.Host.StaffConsole;

/// <summary>
/// <c>/staff/metrics</c>: the last twelve months' requests by month, right and place, on-time share, days to close,
/// overdue now and extensions, as accessible charts each with its table; and <c>/staff/metrics/ccpa.csv?year=</c>, the
/// CCPA §7102 annual metrics of a calendar year. Both count the requests set aside that staff handled by hand, as they
/// recorded them (<see cref="RequestFigures.OfHandled"/>), and those still set aside, as open.
/// </summary>
public static class MetricsPage
{
    public const string Route = "/staff/metrics";
    public const string CcpaRoute = "/staff/metrics/ccpa.csv";

    /// <summary>The most requests one page or CSV reads.</summary>
    private const int MaxRequests = 250_000;

    public static async Task<IResult> ShowAsync(HttpContext context, IRequestListing listing, DeadlineRegimes regimes, TimeProvider time, IAntiforgery antiforgery)
    {
        var (user, refusal) = await ConsoleAccess.RequireAsync(context);
        if (refusal is not null)
        {
            return refusal;
        }

        var csrf = antiforgery.GetAndStoreTokens(context).RequestToken!;
        var now = time.GetUtcNow();
        var from = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-11);
        // Up to and including this moment (the end of the range is exclusive).
        var to = now.AddSeconds(1);
        var requests = await FiguresAsync(context, listing, from, to, regimes);
        var report = MetricsCalculator.Compute(requests, from, to, now, regimes);
        var year = now.Year - 1;
        return ConsoleLayout.Page(context, "Metrics", user, csrf, MetricsView.Render(report, year, $"{CcpaRoute}?year={year.ToString(CultureInfo.InvariantCulture)}"));
    }

    public static async Task<IResult> CcpaCsvAsync(HttpContext context, IRequestListing listing, DeadlineRegimes regimes, TimeProvider time)
    {
        var (user, refusal) = await ConsoleAccess.RequireAsync(context);
        if (refusal is not null)
        {
            return refusal;
        }

        var now = time.GetUtcNow();
        var text = context.Request.Query["year"].ToString();
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year < 2020 || year > now.Year)
        {
            return ConsoleLayout.Message(context, "There is a problem", user, null, "There is a problem",
                $"Give the calendar year as four digits, from 2020 to {now.Year.ToString(CultureInfo.InvariantCulture)}, for example ?year={(now.Year - 1).ToString(CultureInfo.InvariantCulture)}.", StatusCodes.Status400BadRequest);
        }

        var (from, to) = CcpaAnnualReport.QueryWindow(year);
        var requests = await FiguresAsync(context, listing, from, to, regimes);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(CcpaAnnualReport.Compute(requests, year, regimes).ToCsv()), "text/csv; charset=utf-8",
            $"CCPA request metrics {year.ToString(CultureInfo.InvariantCulture)}.csv");
    }

    /// <summary>
    /// The figures of the requests received from <paramref name="from"/> to <paramref name="to"/>: those DataRights took in,
    /// those set aside that staff handled by hand, as they recorded them, and those set aside still (open).
    /// </summary>
    private static async Task<List<RequestFigures>> FiguresAsync(HttpContext context, IRequestListing listing, DateTimeOffset from, DateTimeOffset to, DeadlineRegimes regimes)
    {
        var figures = (await listing.ListReceivedAsync(from, to, MaxRequests, context.RequestAborted)).ToList();
        var calculator = context.RequestServices.GetRequiredService<DeadlineCalculator>();
        var handled = await context.RequestServices.GetRequiredService<IHandledSubmissions>().ListReceivedAsync(from, to, MaxRequests, context.RequestAborted);
        figures.AddRange(handled.Select(h => RequestFigures.OfHandled(h, regimes, calculator)).OfType<RequestFigures>());
        var defaultJurisdiction = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Hosting.DataRightsOptions>>().Value.DefaultJurisdiction;
        var setAside = await context.RequestServices.GetRequiredService<ISubmissionInbox>().ListSetAsideAsync(MaxRequests, context.RequestAborted);
        figures.AddRange(setAside.Where(s => s.ReceivedAt >= from && s.ReceivedAt < to)
            .Select(s => RequestFigures.OfSetAside(s, defaultJurisdiction, regimes, calculator)).OfType<RequestFigures>());
        return figures;
    }
}
