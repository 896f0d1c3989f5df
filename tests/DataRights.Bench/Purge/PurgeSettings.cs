namespace DataRights.Bench.Purge;

/// <summary>How big and how long the purge benchmark runs.</summary>
/// <remarks>
/// <see cref="BatchesPerActivity"/>: one product host per value, taking turns with the raw DELETE in every round (the intake
/// phase uses the first). <see cref="IntakeRows"/>: rows the purges under intake load delete (0 skips the intake phase).
/// <see cref="SeparateIntakeHub"/>: intake goes to a host with a task hub of its own, as on Azure where the request and purge
/// orchestrations scale out, instead of the purging host.
/// </remarks>
internal sealed record PurgeSettings(
    int Rows, int Batch, int Rounds, int Concurrency, TimeSpan IdleDuration, TimeSpan Pause, IReadOnlyList<int> BatchesPerActivity, int IntakeRows, bool SeparateIntakeHub);
