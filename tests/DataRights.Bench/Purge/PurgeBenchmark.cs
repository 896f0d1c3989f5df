using System.Diagnostics;
using System.Globalization;
using DataRights.Bench.Hosting;
using DataRights.Bench.Intake;
using DataRights.Bench.Measurement;
using DataRights.Bench.Reporting;
using DataRights.Bench.Storage;
using DataRights.Testing.Azurite;

namespace DataRights.Bench.Purge;

/// <summary>
/// The retention purge of a demo-like call table of 1M expired rows through the real program: its purge
/// orchestration on the local task hub (source orchestration, batch activities, audited report) and its SQLite
/// connector (the registration's parameterised purge statement, legal-hold filter included), against a raw batched
/// DELETE of the same rows in a copy of the same file, same batch size, taking turns. Then intake
/// latency (POST /api/requests over loopback) while a purge runs, against the same load idle.
/// </summary>
internal static class PurgeBenchmark
{
    private const int LoadRounds = 2;

    public static async Task<int> RunAsync(PurgeSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        using var scratch = new ScratchDirectory("datarights-bench-purge-");
        var machine = MachineFacts.Collect(await SqliteVersion.ReadAsync(cancellationToken));
        var fresh = settings.Rows / 20;
        output.WriteLine("DataRights bench: purge (retention purge by age vs raw batched DELETE; intake during a purge)");
        output.WriteLine($"Machine   : {machine.Summary}, SQLite {machine.SqliteVersion}, load average {MachineFacts.LoadAverage()} at start");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Table     : cdrs (demo telephony schema + index on started_at), {settings.Rows:N0} expired + {fresh:N0} recent rows; batch {settings.Batch}; WAL, synchronous=FULL"));

        var template = scratch.File("template.db");
        var build = Stopwatch.StartNew();
        CdrTable.Create(template, settings.Rows, fresh);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Built     : in {build.Elapsed.TotalSeconds:0.0} s ({new FileInfo(template).Length / 1048576.0:0} MB)"));

        // Throughput: no pause between batches, like the raw loop; one host per BatchesPerActivity value, taking turns.
        // Intake: the product's configured pause. The program keeps its own records (requests, purge runs, the retention
        // audit chain) on Table storage; each host has tables and a task hub of its own.
        await using var azurite = await AzuriteServer.StartAsync(cancellationToken);
        var fast = settings.BatchesPerActivity
            .Where(_ => settings.Rounds > 0)
            .Select(n => new PurgeHost(azurite, scratch.File(string.Create(CultureInfo.InvariantCulture, $"host-fast{n}")), template, settings.Batch, TimeSpan.Zero, n))
            .ToList();
        var round = 0;
        double rawMedian = 0, firstMedian = 0;
        try
        {
            (long Rows, TimeSpan Elapsed) RawPurge()
            {
                var file = scratch.File(string.Create(CultureInfo.InvariantCulture, $"raw{++round}.db"));
                File.Copy(template, file, overwrite: true);
                var result = CdrTable.RawDelete(file, settings.Batch);
                if (result.Rows != settings.Rows)
                {
                    throw new InvalidOperationException($"The raw DELETE removed {result.Rows} rows, not {settings.Rows}.");
                }

                File.Delete(file);
                return result;
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Engine    : the purge orchestration on the local task hub (Azurite): one source, {string.Join(" / ", settings.BatchesPerActivity)} batches of {settings.Batch} per activity"));
            output.WriteLine($"Hosts     : real Program on Kestrel (Production), no pause between batches; their store on Azurite at {azurite.TableEndpoint}");
            output.WriteLine();
            var raw = new List<double>();
            var product = settings.BatchesPerActivity.Select(_ => new List<double>()).ToList();
            for (var i = 0; i < settings.Rounds; i++)
            {
                var r = RawPurge();
                raw.Add(r.Rows / r.Elapsed.TotalSeconds);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Round {i + 1}   : raw DELETE {r.Rows:N0} rows in {r.Elapsed.TotalSeconds:0.0} s = {raw[^1]:N0} rows/s (load {MachineFacts.LoadAverage()})"));
                for (var h = 0; h < fast.Count; h++)
                {
                    var p = await fast[h].PurgeAsync(settings.Rows, fresh, cancellationToken);
                    product[h].Add(p.Rows / p.Elapsed.TotalSeconds);
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"            product ({settings.BatchesPerActivity[h]} per activity) {p.Rows:N0} rows in {p.Elapsed.TotalSeconds:0.0} s = {product[h][^1]:N0} rows/s ({product[h][^1] / raw[^1]:0.00}) (load {MachineFacts.LoadAverage()})"));
                }
            }

            rawMedian = settings.Rounds > 0 ? Median(raw) : double.NaN;
            firstMedian = settings.Rounds > 0 ? Median(product[0]) : double.NaN;
            for (var h = 0; h < fast.Count && settings.Rounds > 0; h++)
            {
                var productMedian = Median(product[h]);
                var ratio = productMedian / rawMedian;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Purge     : {settings.BatchesPerActivity[h]} per activity: product {productMedian:N0} rows/s, raw {rawMedian:N0} rows/s (medians of {settings.Rounds}): ratio {ratio:0.00} (rounds {string.Join(", ", product[h].Zip(raw, (a, b) => (a / b).ToString("0.00", CultureInfo.InvariantCulture)))}; target >= 0.80: {(ratio >= 0.8 ? "met" : "not met")})"));
            }
        }
        finally
        {
            foreach (var host in fast)
            {
                host.Dispose();
            }
        }

        if (settings.IntakeRows == 0)
        {
            output.WriteLine($"Load avg  : {MachineFacts.LoadAverage()} at end (intake phase skipped: --intake-rows 0)");
            return 0;
        }

        var intakeFresh = settings.IntakeRows / 20;
        var intakeTemplate = template;
        if (settings.IntakeRows != settings.Rows)
        {
            intakeTemplate = scratch.File("intake-template.db");
            CdrTable.Create(intakeTemplate, settings.IntakeRows, intakeFresh);
        }

        using var paced = new PurgeHost(azurite, scratch.File("host-paced"), intakeTemplate, settings.Batch, settings.Pause, settings.BatchesPerActivity[0]);
        using var intakeHost = settings.SeparateIntakeHub
            ? new PurgeHost(azurite, scratch.File("host-intake"), intakeTemplate, settings.Batch, settings.Pause, settings.BatchesPerActivity[0])
            : null;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Intake    : {settings.Concurrency} clients on {(intakeHost is null ? "the purging host (one task hub)" : "a host of its own (its own task hub; the purge on another)")}; purges of {settings.IntakeRows:N0} rows with a {settings.Pause.TotalMilliseconds:0} ms pause between batches"));

        // Intake idle and during a purge take turns (idle, purge, idle, purge, idle), so drift in the machine's
        // other load hits both; each lane's samples are pooled.
        using var client = new IntakeClient((intakeHost ?? paced).Address, settings.Concurrency);
        await client.EnsureAcceptedAsync(cancellationToken);
        await TimedWorkers.RunAsync(settings.Concurrency, TimeSpan.FromSeconds(2), client.SubmitAsync, dedicatedThreads: false, cancellationToken);
        var idleSlices = new List<LoadResult>();
        var busySlices = new List<LoadResult>();
        var underLoad = new List<double>();
        for (var i = 0; i <= LoadRounds; i++)
        {
            var idleSlice = await TimedWorkers.RunAsync(settings.Concurrency, settings.IdleDuration, client.SubmitAsync, dedicatedThreads: false, cancellationToken);
            idleSlices.Add(idleSlice);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Intake    : idle {settings.IdleDuration.TotalSeconds:0} s, p99 {idleSlice.Latency.P99Ms:0.00} ms (load {MachineFacts.LoadAverage()})"));
            if (i == LoadRounds)
            {
                break;
            }

            var purge = paced.PurgeAsync(settings.IntakeRows, intakeFresh, cancellationToken);
            var during = new List<LoadResult>();
            while (!purge.IsCompleted)
            {
                during.Add(await TimedWorkers.RunAsync(settings.Concurrency, TimeSpan.FromSeconds(1), client.SubmitAsync, dedicatedThreads: false, cancellationToken));
            }

            var purged = await purge;
            underLoad.Add(purged.Rows / purged.Elapsed.TotalSeconds);
            var busySlice = LoadResult.Combine(during);
            busySlices.Add(busySlice);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Intake    : during a purge ({purged.Elapsed.TotalSeconds:0.0} s, {underLoad[^1]:N0} rows/s), p99 {busySlice.Latency.P99Ms:0.00} ms (load {MachineFacts.LoadAverage()})"));
        }

        var idle = LoadResult.Combine(idleSlices);
        var busy = LoadResult.Combine(busySlices);
        var latencyRatio = busy.Latency.P99Ms / idle.Latency.P99Ms;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Intake    : pooled idle {idle.PerSecond:0} req/s, p50 {idle.Latency.P50Ms:0.00} ms, p99 {idle.Latency.P99Ms:0.00} ms ({idle.Succeeded:N0} requests, c={settings.Concurrency})"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"            during purges {busy.PerSecond:0} req/s, p50 {busy.Latency.P50Ms:0.00} ms, p99 {busy.Latency.P99Ms:0.00} ms ({busy.Succeeded:N0} requests over {busy.Elapsed.TotalSeconds:0.0} s)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"            p99 during / idle = {latencyRatio:0.00} (target <= 2.00: {(latencyRatio <= 2 ? "met" : "not met")}); the purges under load ran at {Median(underLoad):N0} rows/s with a {settings.Pause.TotalMilliseconds:0} ms pause"));
        output.WriteLine($"Load avg  : {MachineFacts.LoadAverage()} at end");
        output.WriteLine();
        output.WriteLine("README row:");
        output.WriteLine("| date | rows | batch | product rows/s | raw DELETE rows/s | ratio (target >= 0.8) | intake p99 idle ms | intake p99 during purge ms | during / idle (target <= 2) |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {TimeProvider.System.GetUtcNow():yyyy-MM-dd} | {settings.Rows:N0} | {settings.Batch} | {firstMedian:N0} | {rawMedian:N0} | {firstMedian / rawMedian:0.00} | {idle.Latency.P99Ms:0.00} | {busy.Latency.P99Ms:0.00} | {latencyRatio:0.00} |"));
        return busy.Failed + idle.Failed == 0 ? 0 : 1;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
