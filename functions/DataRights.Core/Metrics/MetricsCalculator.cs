using DataRights.Core.Deadlines;
using DataRights.Core.Requests;

namespace DataRights.Core.Metrics;

/// <summary>Turns the figures of the requests received in a period into the staff metrics. Pure: the caller gives "now".</summary>
public static class MetricsCalculator
{
    /// <summary>
    /// The metrics of the requests in <paramref name="requests"/> received from <paramref name="from"/> (inclusive) to
    /// <paramref name="to"/> (exclusive); any others are ignored. Local dates (closing day, today) are taken in each
    /// request's regime from <paramref name="regimes"/>, as its due date is.
    /// </summary>
    public static MetricsReport Compute(IEnumerable<RequestFigures> requests, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now, DeadlineRegimes regimes)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(regimes);
        if (to <= from)
        {
            throw new ArgumentException("The period must end after it starts.", nameof(to));
        }

        var received = requests.Where(r => r.ReceivedAt >= from && r.ReceivedAt < to).ToList();
        var answered = received.Where(r => r.Status is RequestStatus.Completed or RequestStatus.Rejected).ToList();
        var closed = answered
            .Where(r => r.ClosedAt is not null)
            .Select(r => (Request: r, ClosedOn: ClosedOn(r, regimes)!.Value))
            .ToList();
        var days = closed.Select(c => c.ClosedOn.DayNumber - c.Request.ReceivedOn.DayNumber).ToList();
        var open = received.Where(r => !RequestLifecycle.IsFinal(r.Status)).ToList();

        return new MetricsReport
        {
            From = from,
            To = to,
            At = now,
            Received = received.Count,
            Months = Months(received, from, to),
            ByType = CountBy(received, r => r.Type),
            ByJurisdiction = CountBy(received, r => r.Jurisdiction),
            Closed = closed.Count,
            ClosedOnTime = closed.Count(c => c.ClosedOn <= c.Request.DueOn),
            MedianDaysToClose = DayStatistics.Median(days),
            Percentile90DaysToClose = DayStatistics.Percentile90(days),
            CompletedInPart = received.Count(r => r.Status == RequestStatus.Completed && r.CompletedInPart),
            Rejected = received.Count(r => r.Status == RequestStatus.Rejected),
            Lapsed = received.Count(r => r.Status == RequestStatus.Expired),
            ClosedAtUnknown = answered.Count - closed.Count,
            Open = open.Count,
            OverdueNow = open.Count(r => !r.ClockStopped && DeadlineCalculator.LocalDate(regimes.For(r.Jurisdiction), now) > r.DueOn),
            ExtensionsUsed = received.Count(r => r.Extended),
            HandledByHand = received.Count(r => r.HandledByHand),
            SetAside = open.Count(r => r.SetAside),
        };
    }

    /// <summary>The day <paramref name="request"/> closed on its regime's local calendar (the calendar of its due date); null when not known.</summary>
    public static DateOnly? ClosedOn(RequestFigures request, DeadlineRegimes regimes) =>
        request.ClosedAt is { } at ? DeadlineCalculator.LocalDate(regimes.For(request.Jurisdiction), at) : null;

    /// <summary>Every UTC month from the one <paramref name="from"/> falls in to the one just before <paramref name="to"/>.</summary>
    private static List<MonthlyRequests> Months(List<RequestFigures> received, DateTimeOffset from, DateTimeOffset to)
    {
        var byMonth = received.ToLookup(r => MonthOf(r.ReceivedAt));
        var months = new List<MonthlyRequests>();
        var last = MonthOf(to.AddTicks(-1));
        for (var month = MonthOf(from); month <= last; month = month.AddMonths(1))
        {
            var these = byMonth[month].ToList();
            months.Add(new MonthlyRequests(month.Year, month.Month, these.Count, CountBy(these, r => r.Type), CountBy(these, r => r.Jurisdiction)));
        }

        return months;
    }

    private static DateOnly MonthOf(DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        return new DateOnly(utc.Year, utc.Month, 1);
    }

    /// <summary>A count for every value of <typeparamref name="T"/>, in declaration order, zeros included.</summary>
    private static IReadOnlyDictionary<T, int> CountBy<T>(List<RequestFigures> requests, Func<RequestFigures, T> key)
        where T : struct, Enum
    {
        var counts = Enum.GetValues<T>().ToDictionary(v => v, _ => 0);
        foreach (var request in requests)
        {
            counts[key(request)]++;
        }

        return counts;
    }
}
