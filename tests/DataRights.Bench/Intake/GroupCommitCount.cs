namespace DataRights.Bench.Intake;

/// <summary>Durable writes and the SQLite commits that carried them, as the product's writer counts them.</summary>
internal sealed record GroupCommitCount(long Writes, long Commits)
{
    public double WritesPerCommit => Commits > 0 ? (double)Writes / Commits : 0;
}
