namespace DataRights.Bench.Cli;

/// <summary>How long and how hard one benchmark runs; the measured time of each lane is split into rounds.</summary>
internal sealed record RunSettings(TimeSpan Warmup, TimeSpan Duration, int Concurrency, int Rounds, bool Quick);
