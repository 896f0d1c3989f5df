namespace DataRights.Bench.Measurement;

/// <summary>One kind of load in a benchmark (e.g. "intake over HTTP", "raw Table insert"): runs itself for a given time.</summary>
internal sealed record Lane(string Name, Func<TimeSpan, CancellationToken, Task<LoadResult>> Run);
