using DataRights.Bench.Measurement;

namespace DataRights.Bench.Intake;

/// <summary>intake / raw: pooled over the whole run, and per round (median, lowest, highest).</summary>
internal sealed record RatioSummary(double Pooled, double Median, double Min, double Max)
{
    public static RatioSummary Of(LaneResult intake, LaneResult raw)
    {
        var rounds = intake.Rounds.Zip(raw.Rounds, Ratio).Order().ToArray();
        var median = rounds.Length % 2 == 1
            ? rounds[rounds.Length / 2]
            : (rounds[(rounds.Length / 2) - 1] + rounds[rounds.Length / 2]) / 2;
        return new RatioSummary(Ratio(intake.Total, raw.Total), median, rounds[0], rounds[^1]);
    }

    private static double Ratio(LoadResult intake, LoadResult raw) => raw.PerSecond > 0 ? intake.PerSecond / raw.PerSecond : 0;
}
