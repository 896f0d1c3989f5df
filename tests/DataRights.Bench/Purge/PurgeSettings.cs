namespace DataRights.Bench.Purge;

/// <summary>How big and how long the purge benchmark runs.</summary>
internal sealed record PurgeSettings(int Rows, int Batch, int Rounds, int Concurrency, TimeSpan IdleDuration, TimeSpan Pause, int BatchesPerActivity, bool Orchestrated);
