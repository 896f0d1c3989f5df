using DataRights.Core.Requests;

namespace DataRights.Core.Metrics;

/// <summary>
/// The staff metrics of the requests received from <see cref="From"/> (inclusive) to <see cref="To"/> (exclusive), as
/// they stood at <see cref="At"/>. "Closed" means answered: completed or rejected. Requests that lapsed because the
/// person never confirmed their email are counted in <see cref="Lapsed"/> and left out of the timeliness figures.
/// </summary>
public sealed record MetricsReport
{
    public required DateTimeOffset From { get; init; }

    public required DateTimeOffset To { get; init; }

    public required DateTimeOffset At { get; init; }

    public required int Received { get; init; }

    /// <summary>Every month the period touches, oldest first, including months with no requests.</summary>
    public required IReadOnlyList<MonthlyRequests> Months { get; init; }

    public required IReadOnlyDictionary<RequestType, int> ByType { get; init; }

    public required IReadOnlyDictionary<Jurisdiction, int> ByJurisdiction { get; init; }

    /// <summary>Completed or rejected, with a known closing time.</summary>
    public required int Closed { get; init; }

    /// <summary>Of <see cref="Closed"/>, those closed on or before their due date (the extended date when extended).</summary>
    public required int ClosedOnTime { get; init; }

    /// <summary><see cref="ClosedOnTime"/> as a whole percentage of <see cref="Closed"/>, rounded down (100 only when none was late); null when none closed.</summary>
    public int? OnTimePercent => Closed == 0 ? null : 100 * ClosedOnTime / Closed;

    /// <summary>Calendar days from the day of receipt to the day of closing (both the regime's local dates).</summary>
    public required double? MedianDaysToClose { get; init; }

    /// <summary>See <see cref="DayStatistics.Percentile90"/> (nearest rank).</summary>
    public required int? Percentile90DaysToClose { get; init; }

    /// <summary>Completed in part: some records kept back, or categories given instead of specific pieces.</summary>
    public required int CompletedInPart { get; init; }

    public required int Rejected { get; init; }

    /// <summary>Closed because the person never confirmed their email address.</summary>
    public required int Lapsed { get; init; }

    /// <summary>Completed or rejected before closing times were recorded: counted as received, left out of the time figures.</summary>
    public required int ClosedAtUnknown { get; init; }

    public required int Open { get; init; }

    /// <summary>Open, the clock running, and the due date already past on the regime's local calendar.</summary>
    public required int OverdueNow { get; init; }

    /// <summary>Requests whose deadline was extended (each may be extended once).</summary>
    public required int ExtensionsUsed { get; init; }

    /// <summary>Of the requests received, those set aside, not taken in, that staff handled by hand outside DataRights.</summary>
    public int HandledByHand { get; init; }

    /// <summary>Of the requests still open, those received but set aside, not taken in, their deadline running.</summary>
    public int SetAside { get; init; }
}
