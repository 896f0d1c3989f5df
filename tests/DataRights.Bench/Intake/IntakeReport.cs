using System.Globalization;
using DataRights.Bench.Cli;
using DataRights.Bench.Measurement;
using DataRights.Bench.Reporting;

namespace DataRights.Bench.Intake;

/// <summary>Prints the intake results: a plain table, the ratios against raw SQLite, and a README row as the last line.</summary>
internal static class IntakeReport
{
    public static void Print(TextWriter output, MachineFacts machine, RunSettings settings, IntakeResults results, DateTimeOffset when)
    {
        var table = new TextTable("lane", "ops/s", "mean ms", "p50 ms", "p90 ms", "p99 ms", "max ms", "ops", "errors", "CPU ms/op", "CPU");
        foreach (var lane in results.All)
        {
            Add(table, lane.Lane.Name, lane.Total);
        }

        output.WriteLine();
        output.WriteLine(Invariant(
            $"Results: {settings.Duration.TotalSeconds:0} s per lane in {settings.Rounds} rounds, after {settings.Warmup.TotalSeconds:0} s warm-up. CPU = this whole process (client, server, SQLite) as a share of {machine.ProcessorCount} cores."));
        output.WriteLine();
        output.Write(table);
        output.WriteLine();
        foreach (var lane in results.All)
        {
            foreach (var (kind, count) in lane.Total.Errors.OrderByDescending(e => e.Value))
            {
                output.WriteLine(Invariant($"ERROR {lane.Lane.Name}: {count} x {kind}"));
            }
        }

        output.WriteLine(Invariant(
            $"Rows in the product's requests table: {results.RowsStored}, expected {results.RowsExpected} (every accepted submission, pre-flight and warm-up included){(results.RowsStored == results.RowsExpected ? " OK" : "  MISMATCH")}"));
        var commits = results.IntakeCommits;
        output.WriteLine(Invariant(
            $"Product's group commit, intake lane: {commits.Writes} durable writes in {commits.Commits} commits = {commits.WritesPerCommit:0.0} per commit, {commits.Commits / results.Intake.Total.Elapsed.TotalSeconds:0} commits/s (raw: 1 row per commit)"));
        output.WriteLine(Ratio("intake / raw sequential commits", results.VersusSequential));
        output.WriteLine(results.VersusConcurrent is { } concurrent
            ? Ratio("intake / raw concurrent commits", concurrent)
            : "intake / raw concurrent commits: n/a at concurrency 1");
        if (!results.Steady)
        {
            output.WriteLine(Invariant(
                $"WARNING: the machine was not steady: the per-round ratio ranged {Percent(results.VersusSequential.Min, "0")} to {Percent(results.VersusSequential.Max, "0")}. The median is robust to a few disturbed rounds; rerun on a quiet machine to quote figures."));
        }

        output.WriteLine(Invariant($"Overall: {OverallVerdict(results)} (median round vs target {Percent(IntakeResults.Target, "0")})"));
        output.WriteLine();
        output.WriteLine("README row:");
        output.WriteLine("| date | machine | run | intake req/s | p50 ms | p99 ms | raw commits/s (1 conn) | raw commits/s (c conns) | intake/raw seq (median round) | intake/raw conc (median round) | result |");
        output.WriteLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
        var intake = results.Intake.Total;
        output.WriteLine(Invariant(
            $"| {when:yyyy-MM-dd} | {machine.Summary} | c={settings.Concurrency}, {settings.Duration.TotalSeconds:0} s | {intake.PerSecond:0} | {intake.Latency.P50Ms:0.00} | {intake.Latency.P99Ms:0.00} | {results.RawSequential.Total.PerSecond:0} | {(results.RawConcurrent is { } raw ? raw.Total.PerSecond.ToString("0", CultureInfo.InvariantCulture) : "n/a")} | {Percent(results.VersusSequential.Median, "0")} | {(results.VersusConcurrent is { } ratio ? Percent(ratio.Median, "0") : "n/a")} | {OverallVerdict(results)} |"));
    }

    private static void Add(TextTable table, string name, LoadResult r) => table.Add(
        name,
        Invariant($"{r.PerSecond:0.0}"),
        Invariant($"{r.Latency.MeanMs:0.00}"),
        Invariant($"{r.Latency.P50Ms:0.00}"),
        Invariant($"{r.Latency.P90Ms:0.00}"),
        Invariant($"{r.Latency.P99Ms:0.00}"),
        Invariant($"{r.Latency.MaxMs:0.00}"),
        Invariant($"{r.Succeeded}"),
        Invariant($"{r.Failed}"),
        Invariant($"{r.CpuMsPerOperation:0.000}"),
        Percent(r.CpuShare, "0"));

    private static string OverallVerdict(IntakeResults results) =>
        results.Intake.Total.Failed > 0 ? "ERRORS" : Verdict(results.VersusSequential.Median);

    private static string Verdict(double ratio) => ratio >= IntakeResults.Target ? "PASS" : "BELOW TARGET";

    private static string Ratio(string name, RatioSummary r) => Invariant(
        $"{name}: {Percent(r.Median, "0.0")} median of rounds (rounds {Percent(r.Min, "0")} to {Percent(r.Max, "0")}, pooled {Percent(r.Pooled, "0.0")})  {Verdict(r.Median)}");

    private static string Percent(double ratio, string format) => (ratio * 100).ToString(format, CultureInfo.InvariantCulture) + "%";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
