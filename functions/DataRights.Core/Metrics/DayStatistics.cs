namespace DataRights.Core.Metrics;

/// <summary>The middle and the 90th percentile of a set of whole-day durations.</summary>
public static class DayStatistics
{
    /// <summary>
    /// The median: the middle value of an odd count, the mean of the two middle values of an even count
    /// (so it may end in .5); null for no values.
    /// </summary>
    public static double? Median(IReadOnlyCollection<int> days)
    {
        if (days.Count == 0)
        {
            return null;
        }

        var sorted = days.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
    }

    /// <summary>
    /// The 90th percentile by the nearest-rank method: the smallest value that at least 90% of the values are at or
    /// below, i.e. the value at rank ⌈0.9 × n⌉ in ascending order. Always one of the values (no interpolation); null for none.
    /// </summary>
    public static int? Percentile90(IReadOnlyCollection<int> days)
    {
        if (days.Count == 0)
        {
            return null;
        }

        var sorted = days.Order().ToArray();

        // ⌈9n/10⌉ in integers, so no floating-point rounding can move the rank.
        var rank = ((9 * sorted.Length) + 9) / 10;
        return sorted[rank - 1];
    }
}
