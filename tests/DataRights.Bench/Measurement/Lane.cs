namespace DataRights.Bench.Measurement;

/// <summary>
/// One kind of load in a benchmark (e.g. "intake over HTTP", "raw Table insert"): runs itself for a given time.
/// <paramref name="Before"/>, when given, is awaited before each run, outside its time (e.g. waiting for the program to be idle).
/// </summary>
internal sealed record Lane(string Name, Func<TimeSpan, CancellationToken, Task<LoadResult>> Run, Func<CancellationToken, Task>? Before = null);
