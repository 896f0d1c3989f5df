using System.Globalization;
using System.Text;
using DataRights.Core.Deadlines;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;

namespace DataRights.Core.Metrics;

/// <summary>
/// The metrics a business handling the personal information of 10,000,000 or more consumers must compile for the
/// previous calendar year and disclose by 1 July (11 CCR §7102(a)): for requests to know, delete, correct, opt out of
/// sale/sharing and limit, the number received, complied with in whole or in part, and denied, and the median number of
/// days within which it substantively responded (§7102(a)(1)(A)-(F); we give the median, which the section allows in
/// place of the mean). California requests only.
/// <para>
/// Counted here: a request belongs to the year of its day of receipt on the California calendar. Complied with in whole
/// or in part: completed. Denied: rejected for any reason but withdrawal, and closed because the person never confirmed
/// their email (not verifiable, one of the grounds §7102(a)(2) names). A withdrawn or still open request is received but
/// neither. Days to respond: calendar days from the day of receipt to the day the request was completed or denied.
/// </para>
/// </summary>
public sealed record CcpaAnnualReport(int Year, IReadOnlyList<CcpaRightFigures> Rights)
{
    private static readonly string[] Headers = ["Calendar year", "Right", "Requests received", "Complied with in whole or in part", "Denied", "Median days to respond"];

    /// <summary>
    /// An instant range sure to hold every request received in <paramref name="year"/> on any regime's calendar (a day
    /// either side of the UTC year), to read from the store before <see cref="Compute"/> keeps the year's own.
    /// </summary>
    public static (DateTimeOffset From, DateTimeOffset To) QueryWindow(int year) =>
        (new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(-1), new DateTimeOffset(year + 1, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(1));

    /// <summary>The year's metrics from the figures of requests (any; only California ones received in <paramref name="year"/> count).</summary>
    public static CcpaAnnualReport Compute(IEnumerable<RequestFigures> requests, int year, DeadlineRegimes regimes)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(regimes);
        var californian = requests.Where(r => r.Jurisdiction == Jurisdiction.UsCa && r.ReceivedOn.Year == year).ToList();
        var rights = CcpaRights.All.Select(right =>
        {
            var these = californian.Where(r => CcpaRights.For(r.Type) == right).ToList();
            var responded = these.Where(r => IsComplied(r) || IsDenied(r)).ToList();
            var days = responded
                .Select(r => MetricsCalculator.ClosedOn(r, regimes) is { } closedOn ? closedOn.DayNumber - r.ReceivedOn.DayNumber : (int?)null)
                .OfType<int>()
                .ToList();
            return new CcpaRightFigures(right, these.Count, these.Count(IsComplied), these.Count(IsDenied), DayStatistics.Median(days));
        }).ToList();
        return new CcpaAnnualReport(year, rights);
    }

    /// <summary>The report as CSV (RFC 4180: CRLF line ends, a header line, fields quoted where they must be), one line per right.</summary>
    public string ToCsv()
    {
        var csv = new StringBuilder();
        AppendLine(csv, Headers);
        foreach (var line in Rights)
        {
            AppendLine(csv, [
                Year.ToString(CultureInfo.InvariantCulture),
                CcpaRights.Name(line.Right),
                line.Received.ToString(CultureInfo.InvariantCulture),
                line.Complied.ToString(CultureInfo.InvariantCulture),
                line.Denied.ToString(CultureInfo.InvariantCulture),
                line.MedianDaysToRespond is { } median ? median.ToString("0.#", CultureInfo.InvariantCulture) : string.Empty,
            ]);
        }

        return csv.ToString();
    }

    private static bool IsComplied(RequestFigures r) => r.Status == RequestStatus.Completed;

    private static bool IsDenied(RequestFigures r) =>
        r.Status == RequestStatus.Expired || (r.Status == RequestStatus.Rejected && r.Rejection != RejectionReason.Withdrawn);

    private static void AppendLine(StringBuilder csv, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                csv.Append(',');
            }

            var field = fields[i];
            if (field.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                csv.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                csv.Append(field);
            }
        }

        csv.Append("\r\n");
    }
}
