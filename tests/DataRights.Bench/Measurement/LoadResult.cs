namespace DataRights.Bench.Measurement;

/// <summary>What a timed run produced: successes per second over the wall-clock span, latencies, errors by kind, CPU used.</summary>
internal sealed record LoadResult(
    int Concurrency,
    long Succeeded,
    IReadOnlyDictionary<string, long> Errors,
    TimeSpan Elapsed,
    TimeSpan CpuTime,
    long[] LatencyTicks)
{
    public LatencySummary Latency { get; } = LatencySummary.FromTicks(LatencyTicks);

    public long Failed => Errors.Values.Sum();

    public double PerSecond => Elapsed > TimeSpan.Zero ? Succeeded / Elapsed.TotalSeconds : 0;

    /// <summary>Process CPU time (all threads: server, client, storage SDK) per operation.</summary>
    public double CpuMsPerOperation => Succeeded + Failed > 0 ? CpuTime.TotalMilliseconds / (Succeeded + Failed) : 0;

    /// <summary>Share of the machine's cores the process kept busy; near 100 % means CPU-bound.</summary>
    public double CpuShare => Elapsed > TimeSpan.Zero ? CpuTime / Elapsed / Environment.ProcessorCount : 0;

    /// <summary>Several slices of the same lane as one run: counts and times add up, latencies pool.</summary>
    public static LoadResult Combine(IReadOnlyList<LoadResult> slices)
    {
        var errors = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, count) in slices.SelectMany(s => s.Errors))
        {
            errors[key] = errors.GetValueOrDefault(key) + count;
        }

        return new LoadResult(
            slices[0].Concurrency,
            slices.Sum(s => s.Succeeded),
            errors,
            slices.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Elapsed),
            slices.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.CpuTime),
            [.. slices.SelectMany(s => s.LatencyTicks)]);
    }
}
