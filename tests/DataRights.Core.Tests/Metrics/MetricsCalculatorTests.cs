using DataRights.Core.Deadlines;
using DataRights.Core.Metrics;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using static DataRights.Core.Tests.Metrics.Figures;

namespace DataRights.Core.Tests.Metrics;

public sealed class MetricsCalculatorTests
{
    private static readonly DateTimeOffset From = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 3, 20, 12, 0, 0, TimeSpan.Zero);

    // Days to close, worked out by hand (receipt and closing on the regime's local calendar):
    // A 5 Jan -> 5 Feb 31 (on its due date: on time); B 10 Jan -> 11 Feb 32 (a day late);
    // C 20 Jan -> 5 Mar 44 (closed 05:00 UTC on 6 Mar, still 5 Mar in California: on its due date);
    // D 2 Feb -> 10 Mar 36 (extended, due 4 May); E 15 Feb -> 16 Feb 1 (rejected, on time).
    // Sorted 1, 31, 32, 36, 44: median 32; 90th percentile, nearest rank ⌈4.5⌉ = 5th: 44. On time 4 of 5.
    private static readonly RequestFigures[] Period =
    [
        Request(RequestType.Access, Jurisdiction.UK, RequestStatus.Completed, "2026-01-05T10:00Z", "2026-01-05", "2026-02-05", closedAt: "2026-02-05T23:30Z"),
        Request(RequestType.Erasure, Jurisdiction.UK, RequestStatus.Completed, "2026-01-10T10:00Z", "2026-01-10", "2026-02-10", closedAt: "2026-02-11T00:30Z"),
        Request(RequestType.Erasure, Jurisdiction.UsCa, RequestStatus.Completed, "2026-01-20T18:00Z", "2026-01-20", "2026-03-05", closedAt: "2026-03-06T05:00Z", inPart: true),
        Request(RequestType.Restriction, Jurisdiction.UK, RequestStatus.Completed, "2026-01-25T10:00Z", "2026-01-25", "2026-02-25"),
        Request(RequestType.Rectification, Jurisdiction.EU, RequestStatus.Completed, "2026-02-02T10:00Z", "2026-02-02", "2026-05-04", closedAt: "2026-03-10T10:00Z", extended: true),
        Request(RequestType.Objection, Jurisdiction.UK, RequestStatus.Rejected, "2026-02-15T10:00Z", "2026-02-15", "2026-03-16", closedAt: "2026-02-16T09:00Z", rejection: RejectionReason.Excessive),
        Request(RequestType.Access, Jurisdiction.UK, RequestStatus.Discovering, "2026-03-01T10:00Z", "2026-03-01", "2026-03-19"),
        Request(RequestType.Erasure, Jurisdiction.UK, RequestStatus.AwaitingVerification, "2026-03-02T10:00Z", "2026-03-02", "2026-03-10", clockStopped: true),
        Request(RequestType.Portability, Jurisdiction.UK, RequestStatus.Executing, "2026-03-03T10:00Z", "2026-03-03", "2026-03-20"),
        Request(RequestType.Erasure, Jurisdiction.UK, RequestStatus.Expired, "2026-03-04T10:00Z", "2026-03-04", "2026-04-04", closedAt: "2026-03-12T10:00Z"),
    ];

    private static readonly RequestFigures[] Outside =
    [
        Request(RequestType.Access, Jurisdiction.UK, RequestStatus.Completed, "2025-12-31T23:59:59Z", "2025-12-31", "2026-01-31", closedAt: "2026-01-02T10:00Z"),
        Request(RequestType.Access, Jurisdiction.UK, RequestStatus.Discovering, "2026-04-01T00:00Z", "2026-04-01", "2026-03-01"),
    ];

    private static MetricsReport Compute() => MetricsCalculator.Compute([.. Outside, .. Period], From, To, Now, DeadlineRegimes.Default);

    [Fact]
    public void Compute_OnTime_CountsClosingOnTheDueDateItselfAsOnTime_AndTheDayAfterAsLate()
    {
        var report = Compute();

        Assert.Equal(5, report.Closed);
        Assert.Equal(4, report.ClosedOnTime);
        Assert.Equal(80, report.OnTimePercent);
    }

    [Fact]
    public void Compute_DaysToClose_MedianAndNearestRank90thPercentileOfClosedRequestsOnly()
    {
        var report = Compute();

        Assert.Equal(32.0, report.MedianDaysToClose);
        Assert.Equal(44, report.Percentile90DaysToClose);
    }

    [Fact]
    public void Compute_Counts_OpenOverdueExtendedRejectedLapsedAndUnknownClosingTimes()
    {
        var report = Compute();

        Assert.Equal(10, report.Received);
        Assert.Equal(3, report.Open);

        // Past due and running; the stopped clock and the one due today are not overdue.
        Assert.Equal(1, report.OverdueNow);
        Assert.Equal(1, report.ExtensionsUsed);
        Assert.Equal(1, report.Rejected);
        Assert.Equal(1, report.Lapsed);
        Assert.Equal(1, report.CompletedInPart);
        Assert.Equal(1, report.ClosedAtUnknown);
    }

    [Fact]
    public void Compute_Months_EveryMonthOfThePeriodByTypeAndJurisdiction()
    {
        var report = Compute();

        Assert.Equal([(2026, 1, 4), (2026, 2, 2), (2026, 3, 4)], report.Months.Select(m => (m.Year, m.Month, m.Total)));
        var january = report.Months[0];
        Assert.Equal([1, 2, 0, 1, 0, 0], Enum.GetValues<RequestType>().Select(t => january.ByType[t]));
        Assert.Equal([3, 0, 1, 0, 0, 0], Enum.GetValues<Jurisdiction>().Select(j => january.ByJurisdiction[j]));
        Assert.Equal(2, report.ByType[RequestType.Access]);
        Assert.Equal(4, report.ByType[RequestType.Erasure]);
        Assert.Equal(8, report.ByJurisdiction[Jurisdiction.UK]);
    }

    [Fact]
    public void Compute_MonthsWithNoRequests_AreListedWithZeros()
    {
        var report = MetricsCalculator.Compute([Period[0]], new DateTimeOffset(2025, 11, 15, 0, 0, 0, TimeSpan.Zero), From.AddMonths(1), Now, DeadlineRegimes.Default);

        Assert.Equal([(2025, 11, 0), (2025, 12, 0), (2026, 1, 1)], report.Months.Select(m => (m.Year, m.Month, m.Total)));
        Assert.All(report.Months[0].ByType.Values, count => Assert.Equal(0, count));
    }

    [Fact]
    public void Compute_NothingClosed_LeavesPercentageAndDaysEmpty()
    {
        var report = MetricsCalculator.Compute([Period[6]], From, To, Now, DeadlineRegimes.Default);

        Assert.Equal(0, report.Closed);
        Assert.Null(report.OnTimePercent);
        Assert.Null(report.MedianDaysToClose);
        Assert.Null(report.Percentile90DaysToClose);
    }

    [Theory]
    [InlineData(2, 3, 66)]
    [InlineData(199, 200, 99)]
    [InlineData(46, 50, 92)]
    [InlineData(7, 7, 100)]
    public void OnTimePercent_IsRoundedDown_SoOneLateRequestNeverReads100(int onTime, int closed, int expected)
    {
        var report = Compute() with { Closed = closed, ClosedOnTime = onTime };

        Assert.Equal(expected, report.OnTimePercent);
    }

    [Fact]
    public void Compute_PeriodEndingBeforeItStarts_IsRefused() =>
        Assert.Throws<ArgumentException>(() => MetricsCalculator.Compute([], To, From, Now, DeadlineRegimes.Default));
}
