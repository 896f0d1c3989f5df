using System.Diagnostics;

namespace DataRights.Bench.Measurement;

/// <summary>Latency percentiles in milliseconds (nearest rank over every sample, no histogram rounding).</summary>
internal sealed record LatencySummary(int Count, double MeanMs, double P50Ms, double P90Ms, double P99Ms, double MaxMs)
{
    public static LatencySummary FromTicks(IReadOnlyCollection<long> samples)
    {
        if (samples.Count == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0, 0);
        }

        long[] ticks = [.. samples];
        Array.Sort(ticks);
        return new LatencySummary(
            ticks.Length,
            ToMs(ticks.Average(t => (double)t)),
            ToMs(Percentile(ticks, 0.50)),
            ToMs(Percentile(ticks, 0.90)),
            ToMs(Percentile(ticks, 0.99)),
            ToMs(ticks[^1]));
    }

    private static long Percentile(long[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double ToMs(double ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
