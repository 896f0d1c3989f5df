using DataRights.Core.Metrics;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Metrics;

/// <summary>Request figures for metrics tests, written as a person reads them.</summary>
internal static class Figures
{
    private static int _next;

    public static RequestFigures Request(
        RequestType type,
        Jurisdiction jurisdiction,
        RequestStatus status,
        string receivedAt,
        string receivedOn,
        string dueOn,
        string? closedAt = null,
        bool extended = false,
        bool clockStopped = false,
        bool inPart = false,
        RejectionReason? rejection = null) => new(
            "dr_test" + Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture),
            type,
            jurisdiction,
            status,
            DateTimeOffset.Parse(receivedAt, System.Globalization.CultureInfo.InvariantCulture),
            DateOnly.Parse(receivedOn, System.Globalization.CultureInfo.InvariantCulture),
            DateOnly.Parse(dueOn, System.Globalization.CultureInfo.InvariantCulture),
            closedAt is null ? null : DateTimeOffset.Parse(closedAt, System.Globalization.CultureInfo.InvariantCulture),
            extended,
            clockStopped,
            inPart,
            rejection);
}
