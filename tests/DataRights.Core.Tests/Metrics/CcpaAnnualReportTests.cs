using DataRights.Core.Deadlines;
using DataRights.Core.Metrics;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using static DataRights.Core.Tests.Metrics.Figures;

namespace DataRights.Core.Tests.Metrics;

public sealed class CcpaAnnualReportTests
{
    // Californian requests; days to respond by hand on the California calendar (closings at 20:00 UTC are 12:00 there).
    private static readonly RequestFigures[] Requests =
    [
        // Requests to know: 10, 12 (in part), 4 (denied), open, and 5 (received 31 Dec local time, 1 Jan UTC).
        Request(RequestType.Access, Jurisdiction.UsCa, RequestStatus.Completed, "2026-01-10T18:00Z", "2026-01-10", "2026-02-24", closedAt: "2026-01-20T20:00Z"),
        Request(RequestType.Portability, Jurisdiction.UsCa, RequestStatus.Completed, "2026-02-01T18:00Z", "2026-02-01", "2026-03-18", closedAt: "2026-02-13T20:00Z", inPart: true),
        Request(RequestType.Access, Jurisdiction.UsCa, RequestStatus.Rejected, "2026-03-01T18:00Z", "2026-03-01", "2026-04-15", closedAt: "2026-03-05T20:00Z", rejection: RejectionReason.InsufficientVerification),
        Request(RequestType.Access, Jurisdiction.UsCa, RequestStatus.Discovering, "2026-03-02T18:00Z", "2026-03-02", "2026-04-16"),
        Request(RequestType.Access, Jurisdiction.UsCa, RequestStatus.Completed, "2027-01-01T05:00Z", "2026-12-31", "2027-02-14", closedAt: "2027-01-05T20:00Z"),

        // Requests to delete: lapsed unverified after 7 days (denied), withdrawn (neither), completed in 3.
        Request(RequestType.Erasure, Jurisdiction.UsCa, RequestStatus.Expired, "2026-04-01T18:00Z", "2026-04-01", "2026-05-16", closedAt: "2026-04-08T20:00Z"),
        Request(RequestType.Erasure, Jurisdiction.UsCa, RequestStatus.Rejected, "2026-04-02T18:00Z", "2026-04-02", "2026-05-17", closedAt: "2026-04-03T20:00Z", rejection: RejectionReason.Withdrawn),
        Request(RequestType.Erasure, Jurisdiction.UsCa, RequestStatus.Completed, "2026-05-01T18:00Z", "2026-05-01", "2026-06-15", closedAt: "2026-05-04T20:00Z"),

        // Opt-out the same day; limit in 2.
        Request(RequestType.Objection, Jurisdiction.UsCa, RequestStatus.Completed, "2026-06-01T18:00Z", "2026-06-01", "2026-07-16", closedAt: "2026-06-01T20:00Z"),
        Request(RequestType.Restriction, Jurisdiction.UsCa, RequestStatus.Completed, "2026-07-01T18:00Z", "2026-07-01", "2026-08-15", closedAt: "2026-07-03T20:00Z"),

        // Not counted: another year's on the California calendar, and another jurisdiction's.
        Request(RequestType.Access, Jurisdiction.UsCa, RequestStatus.Completed, "2026-01-01T05:00Z", "2025-12-31", "2026-02-14", closedAt: "2026-01-02T20:00Z"),
        Request(RequestType.Access, Jurisdiction.UK, RequestStatus.Completed, "2026-05-01T10:00Z", "2026-05-01", "2026-06-01", closedAt: "2026-05-02T10:00Z"),
    ];

    [Fact]
    public void Compute_PerRight_ReceivedCompliedDeniedAndMedianDays()
    {
        var report = CcpaAnnualReport.Compute(Requests, 2026, DeadlineRegimes.Default);

        Assert.Equal(2026, report.Year);
        Assert.Equal(
            [
                new CcpaRightFigures(CcpaRight.Know, 5, 3, 1, 7.5), // days 4, 5, 10, 12
                new CcpaRightFigures(CcpaRight.Delete, 3, 1, 1, 5.0), // days 3, 7
                new CcpaRightFigures(CcpaRight.Correct, 0, 0, 0, null),
                new CcpaRightFigures(CcpaRight.OptOutOfSaleOrSharing, 1, 1, 0, 0.0),
                new CcpaRightFigures(CcpaRight.Limit, 1, 1, 0, 2.0),
            ],
            report.Rights);
    }

    [Fact]
    public void ToCsv_PlainEnglishHeadersAndRightNames_CrlfLines_EmptyMedianWhenNoneResponded()
    {
        var csv = CcpaAnnualReport.Compute(Requests, 2026, DeadlineRegimes.Default).ToCsv();

        Assert.Equal(
            "Calendar year,Right,Requests received,Complied with in whole or in part,Denied,Median days to respond\r\n"
            + "2026,Request to know,5,3,1,7.5\r\n"
            + "2026,Request to delete,3,1,1,5\r\n"
            + "2026,Request to correct,0,0,0,\r\n"
            + "2026,Request to opt out of sale or sharing,1,1,0,0\r\n"
            + "2026,Request to limit use of sensitive personal information,1,1,0,2\r\n",
            csv);
    }

    [Theory]
    [InlineData(RequestType.Access, CcpaRight.Know)]
    [InlineData(RequestType.Portability, CcpaRight.Know)]
    [InlineData(RequestType.Erasure, CcpaRight.Delete)]
    [InlineData(RequestType.Rectification, CcpaRight.Correct)]
    [InlineData(RequestType.Objection, CcpaRight.OptOutOfSaleOrSharing)]
    [InlineData(RequestType.Restriction, CcpaRight.Limit)]
    public void Rights_EveryRequestTypeMapsToARight(RequestType type, CcpaRight right) => Assert.Equal(right, CcpaRights.For(type));

    [Fact]
    public void QueryWindow_HoldsTheYearOnEveryCalendar()
    {
        var (from, to) = CcpaAnnualReport.QueryWindow(2026);

        Assert.Equal(new DateTimeOffset(2025, 12, 31, 0, 0, 0, TimeSpan.Zero), from);
        Assert.Equal(new DateTimeOffset(2027, 1, 2, 0, 0, 0, TimeSpan.Zero), to);
        Assert.All(Requests.Where(r => r.ReceivedOn.Year == 2026), r => Assert.InRange(r.ReceivedAt, from, to));
    }
}
