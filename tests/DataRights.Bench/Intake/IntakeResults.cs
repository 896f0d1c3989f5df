using DataRights.Bench.Measurement;

namespace DataRights.Bench.Intake;

/// <summary>The lanes of one intake benchmark and the checks made around them.</summary>
internal sealed record IntakeResults(
    LaneResult Intake,
    LaneResult RawSequential,
    LaneResult? RawConcurrent,
    IReadOnlyList<LaneResult> Breakdown,
    GroupCommitCount IntakeCommits,
    long RowsStored,
    long RowsExpected)
{
    /// <summary>The target: intake at least half the raw rate of the same single-row durable commit.</summary>
    public const double Target = 0.5;

    /// <summary>Rounds whose ratios differ by more than this factor mean the machine was not steady.</summary>
    private const double SteadySpread = 1.5;

    public IEnumerable<LaneResult> All => new[] { Intake, RawSequential, RawConcurrent }.OfType<LaneResult>().Concat(Breakdown);

    public RatioSummary VersusSequential => RatioSummary.Of(Intake, RawSequential);

    public RatioSummary? VersusConcurrent => RawConcurrent is null ? null : RatioSummary.Of(Intake, RawConcurrent);

    /// <summary>Judged on the median round, which a few disturbed rounds (another process's fsyncs or builds) cannot swing.</summary>
    public bool MeetsTarget => VersusSequential.Median >= Target && Intake.Total.Failed == 0;

    public bool Steady => VersusSequential.Min > 0 && VersusSequential.Max / VersusSequential.Min <= SteadySpread;
}
