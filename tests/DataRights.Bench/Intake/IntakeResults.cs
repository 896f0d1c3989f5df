using DataRights.Bench.Measurement;

namespace DataRights.Bench.Intake;

/// <summary>The lanes of one intake benchmark and the checks made around them.</summary>
internal sealed record IntakeResults(
    LaneResult Intake,
    LaneResult RawSequential,
    LaneResult? RawConcurrent,
    IReadOnlyList<LaneResult> Breakdown,
    long RowsStored,
    long RowsExpected)
{
    /// <summary>The target: intake at least half the raw rate of the same single-row durable commit.</summary>
    public const double Target = 0.5;

    public IEnumerable<LaneResult> All => new[] { Intake, RawSequential, RawConcurrent }.OfType<LaneResult>().Concat(Breakdown);

    public double VersusSequential => Ratio(Intake.Total, RawSequential.Total);

    public double? VersusConcurrent => RawConcurrent is null ? null : Ratio(Intake.Total, RawConcurrent.Total);

    /// <summary>intake / raw sequential in each round: a wide spread says the machine was not steady.</summary>
    public IReadOnlyList<double> VersusSequentialByRound =>
        [.. Intake.Rounds.Zip(RawSequential.Rounds, Ratio)];

    public bool MeetsTarget => VersusSequential >= Target && Intake.Total.Failed == 0;

    private static double Ratio(LoadResult intake, LoadResult raw) => raw.PerSecond > 0 ? intake.PerSecond / raw.PerSecond : 0;
}
