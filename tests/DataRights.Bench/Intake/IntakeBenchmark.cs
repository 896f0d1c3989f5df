using System.Globalization;
using DataRights.Bench.Cli;
using DataRights.Bench.Hosting;
using DataRights.Bench.Measurement;
using DataRights.Bench.Reporting;
using DataRights.Bench.Storage;
using DataRights.Host.Hosting;
using DataRights.Host.Sources.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataRights.Bench.Intake;

/// <summary>
/// Intake throughput over loopback HTTP with durable commits and, in the same run and temp folder, the raw
/// rate of a single-row durable SQLite commit (one connection, and C connections), taking turns in rounds.
/// </summary>
internal static class IntakeBenchmark
{
    public static async Task<int> RunAsync(
        RunSettings settings, bool breakdown, int workflowWorkers, TextWriter output, CancellationToken cancellationToken)
    {
        var c = settings.Concurrency;
        var machine = MachineFacts.Collect(await RawSqliteCommits.SqliteVersionAsync(cancellationToken));
        using var scratch = new ScratchDirectory("datarights-bench-");
        PrintHeader(output, machine, settings, scratch.Path);

        var hostDirectory = scratch.File("host");
        var raw = await RawSqliteCommits.CreateAsync(scratch.File(Path.Combine("raw", "raw.db")), cancellationToken);
        (LaneResult Intake, LaneResult Sequential, LaneResult? Concurrent, IReadOnlyList<LaneResult> Breakdown) results;
        GroupCommitCount groupCommit;
        long expected;
        string databasePath;
        using (var host = new ProgramHost(HostSettings(hostDirectory, workflowWorkers)))
        {
            var address = host.Start();
            databasePath = CheckConfiguration(host.Services, hostDirectory);
            output.WriteLine($"Host      : real Program on Kestrel at {address} (Production), data in {hostDirectory}");
            output.WriteLine(workflowWorkers == 0
                ? "Workflow  : 0 workers (intake alone; the work items it writes wait in the queue)"
                : $"Workflow  : {workflowWorkers} workers (their background work shares the machine and the write lock with every lane)");
            output.WriteLine();

            using var client = new IntakeClient(address, c);
            await client.EnsureAcceptedAsync(cancellationToken);
            // The product's writer counts its group commits: how many submissions share one durable commit.
            var database = host.Services.GetRequiredService<SqliteDatabase>();
            var intakeCommits = new List<(long Writes, long Commits)>();
            var intakeLane = new Lane($"intake: POST /api/requests -> 202 (c={c})", async (d, ct) =>
            {
                var (writes, commits) = (database.Writes, database.Commits);
                var result = await TimedWorkers.RunAsync(c, d, client.SubmitAsync, dedicatedThreads: false, ct);
                intakeCommits.Add((database.Writes - writes, database.Commits - commits));
                return result;
            });
            var sequentialLane = new Lane("raw SQLite: 1-row INSERT commit, 1 connection", (d, ct) => raw.RunAsync(1, d, ct));
            var concurrentLane = c > 1 ? new Lane($"raw SQLite: 1-row INSERT commit, {c} connections", (d, ct) => raw.RunAsync(c, d, ct)) : null;
            var breakdownLanes = new List<Lane>();

            // Only the public HTTP surface, so the bench does not break when the program's internals change.
            if (breakdown)
            {
                breakdownLanes.Add(new($"breakdown: GET /healthz -> 200, HTTP floor (c={c})", (d, ct) => TimedWorkers.RunAsync(c, d, client.HealthAsync, dedicatedThreads: false, ct)));
                breakdownLanes.Add(new($"breakdown: POST invalid email -> 400, no store (c={c})", (d, ct) => TimedWorkers.RunAsync(c, d, client.SubmitInvalidAsync, dedicatedThreads: false, ct)));
                if (c > 1)
                {
                    breakdownLanes.Add(new("breakdown: intake POST -> 202 at c=1 (latency floor)", (d, ct) => TimedWorkers.RunAsync(1, d, client.SubmitAsync, dedicatedThreads: false, ct)));
                }
            }

            Lane[] plan = [intakeLane, sequentialLane, .. concurrentLane is null ? Array.Empty<Lane>() : [concurrentLane], .. breakdownLanes];
            var lanes = await InterleavedRuns.RunAsync(plan, settings.Warmup, settings.Duration, settings.Rounds, output, cancellationToken);
            LaneResult Of(Lane lane) => lanes.Single(r => ReferenceEquals(r.Lane, lane));
            results = (Of(intakeLane), Of(sequentialLane), concurrentLane is null ? null : Of(concurrentLane), [.. breakdownLanes.Select(Of)]);
            var measured = intakeCommits.TakeLast(settings.Rounds).ToList();
            groupCommit = new GroupCommitCount(measured.Sum(m => m.Writes), measured.Sum(m => m.Commits));
            expected = client.Accepted;
        }

        var rows = await CountRequestsAsync(databasePath, cancellationToken);
        output.WriteLine($"Load avg  : {MachineFacts.LoadAverage()} at end");
        var report = new IntakeResults(results.Intake, results.Sequential, results.Concurrent, results.Breakdown, groupCommit, rows, expected);
        IntakeReport.Print(output, machine, settings, report, TimeProvider.System.GetUtcNow());
        return report.Intake.Total.Failed == 0 && rows == expected ? 0 : 1;
    }

    private static Dictionary<string, string?> HostSettings(string dataDirectory, int workflowWorkers) => new()
    {
        ["DataRights:DataDirectory"] = dataDirectory,
        ["DataRights:Workflow:Workers"] = workflowWorkers.ToString(CultureInfo.InvariantCulture),
        ["DataRights:Intake:PerClientPermitLimit"] = "1000000",
        ["DataRights:Intake:PerEmailPermitLimit"] = "1000000",
        // A console line per request would measure the console, not intake.
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
    };

    /// <summary>Fails fast when the settings did not reach the program: the numbers would mean nothing.</summary>
    private static string CheckConfiguration(IServiceProvider services, string dataDirectory)
    {
        var options = services.GetRequiredService<IOptions<DataRightsOptions>>().Value;
        var problems = new List<string>();
        if (!string.Equals(Path.GetFullPath(options.DataDirectory), Path.GetFullPath(dataDirectory), StringComparison.Ordinal))
        {
            problems.Add($"data folder is {options.DataDirectory}");
        }

        if (options.Intake.PerClientPermitLimit < 1_000_000 || options.Intake.PerEmailPermitLimit < 1_000_000)
        {
            problems.Add("intake rate limits were not raised");
        }

        if (services.GetRequiredService<ILoggerFactory>().CreateLogger("DataRights.Host.Requests.IntakeService").IsEnabled(LogLevel.Information))
        {
            problems.Add("per-request Information logging is still on");
        }

        return problems.Count == 0
            ? options.DatabasePath
            : throw new InvalidOperationException("The benchmark settings did not take effect: " + string.Join("; ", problems) + ".");
    }

    private static async Task<long> CountRequestsAsync(string databasePath, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM requests";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static void PrintHeader(TextWriter output, MachineFacts machine, RunSettings settings, string folder)
    {
        output.WriteLine("DataRights bench: intake (POST /api/requests on loopback, durable SQLite commits)");
        output.WriteLine($"Machine   : {machine.ProcessorCount} logical processors, {machine.Cpu}, {machine.Architecture}");
        output.WriteLine($"OS        : {machine.Os}");
        output.WriteLine($"Runtime   : {machine.Runtime}, {machine.Gc} GC, SQLite {machine.SqliteVersion}");
        if (!machine.OptimizedBuild)
        {
            output.WriteLine("WARNING   : Debug build; run with -c Release for figures worth quoting.");
        }

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Run       : concurrency {settings.Concurrency}, warm-up {settings.Warmup.TotalSeconds:0} s per lane, measured {settings.Duration.TotalSeconds:0} s per lane in {settings.Rounds} rounds{(settings.Quick ? " (--quick)" : string.Empty)}"));
        output.WriteLine($"Folder    : {folder} (deleted at the end)");
        output.WriteLine("Pragmas   : journal_mode=WAL, synchronous=FULL (product and raw alike)");
        output.WriteLine($"Load avg  : {MachineFacts.LoadAverage()} at start (other work on the machine skews the rates; the rounds keep the ratios fair)");
    }
}
