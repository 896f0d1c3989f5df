using DataRights.Core.Retention;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Host.Retention;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Host.Sources.Sqlite;
using DataRights.Testing;
using Microsoft.Extensions.DependencyInjection;
using static DataRights.Integration.Tests.Retention.PurgeKit;

namespace DataRights.Integration.Tests.Retention;

/// <summary>
/// The in-process purge runner (<see cref="PurgeRunner.RunAsync"/>, which the purge benchmark measures the orchestrated
/// purge against) is safe to interrupt and to run twice: killed runs resume, leases keep concurrent runs apart. The
/// product's purges are orchestrations: PurgeOrchestrationTests.
/// </summary>
public sealed class PurgeRunSafetyTests
{
    private static readonly DateTimeOffset Monday0230London = new(2026, 11, 2, 2, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task KilledRun_CompletesOnRestart()
    {
        var folder = Directory.CreateTempSubdirectory("datarights-purge-kill-").FullName;
        var calls = Path.Combine(folder, "calls.db");
        SeedCalls(calls, expired: 2500, fresh: 10);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero));
        var settings = new Dictionary<string, string?>
        {
            ["DataRights:Retention:DryRun"] = "false",
            ["DataRights:Retention:BatchSize"] = "500",
            ["DataRights:Retention:BatchPause"] = "00:00:00",
        };
        var region = PurgeRegions.Find("eu-west")!;
        var runId = PurgeRunner.TimerRunId(region, Monday0230London, dryRun: false);

        // First life: killed (cancelled) just before its third batch; two batches are committed.
        using (var database = new SqliteDatabase(calls))
        using (var kill = new CancellationTokenSource())
        {
            var connector = new SqliteSourceConnector(database, CallsRegistration, new byte[32], clock);
            var batches = 0;
            var dying = new Interrupted(connector, () =>
            {
                if (++batches == 3)
                {
                    kill.Cancel();
                }
            });
            using var first = new DataRightsFactory(settings: settings, dataDirectory: folder, clock: clock) { Sources = new Registry((Calls, dying)) };
            using var client = first.CreateClient();
            await SavePolicyAsync(client, "eu-west", Rule("telephony.cdr", "P6M"));

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                first.Services.GetRequiredService<PurgeRunner>().RunAsync(region, runId, Monday0230London, "system:timer", dryRun: false, kill.Token));

            // A killed process does not release its lease: leave one behind, as SIGKILL would.
            await first.Stored.LeaveLeaseAsync("calls", "dead-host:1:abcd", new DateTimeOffset(2026, 11, 2, 9, 35, 0, TimeSpan.Zero));
        }

        Assert.Equal(1510, Database.Scalar(calls, "SELECT COUNT(*) FROM cdrs"));

        // Second life: the run is resumed on the same data folder.
        using var restarted = new DataRightsFactory(settings: settings, dataDirectory: folder, clock: clock);
        using var database2 = new SqliteDatabase(calls);
        restarted.Sources = new Registry((Calls, new SqliteSourceConnector(database2, CallsRegistration, new byte[32], clock)));
        using var client2 = restarted.CreateClient();
        var runner = restarted.Services.GetRequiredService<PurgeRunner>();

        // While the dead process's lease runs, the source is left alone and the run stays incomplete.
        var early = await runner.RunAsync(region, runId, Monday0230London, "system:timer", dryRun: false, CancellationToken.None);
        Assert.Equal(PurgeRun.Incomplete, early.Status);
        Assert.Equal(1510, Database.Scalar(calls, "SELECT COUNT(*) FROM cdrs"));

        clock.Advance(TimeSpan.FromMinutes(6));
        var resumed = await runner.RunAsync(region, runId, Monday0230London, "system:timer", dryRun: false, CancellationToken.None);

        Assert.Equal(PurgeRun.Completed, resumed.Status);
        Assert.Equal(10, Database.Scalar(calls, "SELECT COUNT(*) FROM cdrs"));
        var report = await GetAsync(client2, $"/api/admin/purges/{runId}");
        Assert.Equal("completed", report.GetProperty("status").GetString());
        var line = Line(report, "calls", "telephony.cdr");
        Assert.Equal(2500, Count(line, "purged"));
        Assert.Equal("done", line.GetProperty("state").GetString());
        var audit = report.GetProperty("audit");
        Assert.True(audit.GetProperty("chainValid").GetBoolean());
        var actions = audit.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(["purge.started", "purge.finished", "purge.category", "purge.finished"], actions);
        Assert.Empty(await restarted.Stored.LeasesAsync());
    }

    [Fact]
    public async Task Lease_KeepsASecondConcurrentRunOffTheSource()
    {
        var source = new InMemoryDataSource("calls", "Calls") { PurgeCategory = "telephony.cdr" };
        source.AddDated(new DateOnly(2025, 1, 1), 40);
        var inside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.BeforePurge = async (command, token) =>
        {
            if (command.Category == "telephony.cdr" && !command.DryRun && inside.TrySetResult())
            {
                await release.Task.WaitAsync(token);
            }
        };
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry(source) };
        using var client = factory.CreateClient();
        await SavePolicyAsync(client, "eu-west", Rule("telephony.cdr", "P6M"));
        var region = PurgeRegions.Find("eu-west")!;
        var runner = factory.Services.GetRequiredService<PurgeRunner>();

        var first = runner.RunAsync(region, "pr_eu-west_first", factory.Clock.GetUtcNow(), "staff:first", dryRun: false, CancellationToken.None);
        await inside.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var secondRun = await runner.RunAsync(region, "pr_eu-west_second", factory.Clock.GetUtcNow(), "staff:second", dryRun: false, CancellationToken.None);
        var callsDuringSecond = source.PurgeCalls;
        release.SetResult();
        var finished = await first;

        Assert.Equal(PurgeRun.Incomplete, secondRun.Status);
        var second = await GetAsync(client, "/api/admin/purges/pr_eu-west_second");
        Assert.Equal("incomplete", second.GetProperty("status").GetString());
        Assert.Equal("busy", Line(second, "calls", "telephony.cdr").GetProperty("state").GetString());
        Assert.Equal(1, second.GetProperty("totals").GetProperty("busy").GetInt32());
        Assert.Equal(1, callsDuringSecond);
        Assert.Equal(PurgeRun.Completed, finished.Status);
        Assert.Equal(0, source.DatedRecords);
        var firstReport = await GetAsync(client, "/api/admin/purges/pr_eu-west_first");
        Assert.Equal(40, Count(Line(firstReport, "calls", "telephony.cdr"), "purged"));
    }

    [Fact]
    public async Task CompletedRun_RunAgain_ChangesNothing()
    {
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?> { ["DataRights:Retention:DryRun"] = "false" });
        using var client = factory.CreateClient();
        var region = PurgeRegions.Find("us-east")!;
        var runner = factory.Services.GetRequiredService<PurgeRunner>();
        var id = PurgeRunner.TimerRunId(region, Monday0230London, dryRun: false);
        await runner.RunAsync(region, id, Monday0230London, "system:timer", dryRun: false, CancellationToken.None);
        var entries = (await factory.Stored.RetentionAuditAsync()).Count;

        var again = await runner.RunAsync(region, id, Monday0230London, "system:timer", dryRun: false, CancellationToken.None);

        Assert.Equal(PurgeRun.Completed, again.Status);
        Assert.Equal(entries, (await factory.Stored.RetentionAuditAsync()).Count);
        Assert.Equal(id, Assert.Single(await factory.Stored.PurgeRunsAsync()).Id);
    }

    private static readonly DataSourceDescriptor Calls = new("calls", "Calls", SourceAccess.ReadWrite, "eu-west");

    private static readonly SourceRegistration CallsRegistration = new()
    {
        Key = "calls", DisplayName = "Calls", ConnectorType = "sqlite", Access = "read-write", Region = "eu-west",
        IdentityFields = ["email"],
        Categories =
        [
            new CategoryPolicy
            {
                Key = "telephony.cdr", DisplayName = "Telephony cdr", Strategy = "delete",
                Queries = new Dictionary<string, string>
                {
                    ["discover"] = "SELECT id AS record_key, started_at AS record_date FROM cdrs WHERE caller_email = $email",
                    ["delete"] = "DELETE FROM cdrs WHERE id = $record_key",
                    ["purge"] = "DELETE FROM cdrs WHERE id IN (SELECT id FROM cdrs WHERE started_at < $cutoff AND NOT datarights_held(caller_email) LIMIT $batch)",
                },
            },
        ],
    };

    private static void SeedCalls(string path, int expired, int fresh)
    {
        Database.Execute(path, "PRAGMA journal_mode = WAL; CREATE TABLE cdrs (id INTEGER PRIMARY KEY, caller_email TEXT NOT NULL, started_at TEXT NOT NULL)");
        Database.Execute(path, $"""
            WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < {expired + fresh})
            INSERT INTO cdrs (caller_email, started_at)
            SELECT 'caller.' || (x % 97) || '@example.net', CASE WHEN x <= {expired} THEN '2025-12-01T10:00:00Z' ELSE '2026-10-30T10:00:00Z' END FROM n
            """);
    }

    /// <summary>The real connector, with a hook before each real purge step (where the test "kills" the host).</summary>
    private sealed class Interrupted(IDataSourceConnector inner, Action beforeBatch) : IDataSourceConnector
    {
        public Task<ConnectionTest> TestAsync(CancellationToken cancellationToken) => inner.TestAsync(cancellationToken);

        public Task<DiscoveryFindings> DiscoverAsync(SourceCall call, CancellationToken cancellationToken) => inner.DiscoverAsync(call, cancellationToken);

        public Task<ExecutionOutcome> ExecuteAsync(SourceCall call, DataRights.Core.Requests.RequestType action, ActionInstructions? instructions, CancellationToken cancellationToken) =>
            inner.ExecuteAsync(call, action, instructions, cancellationToken);

        public Task<ExecutionOutcome> ExportAsync(SourceCall call, IExportSink sink, CancellationToken cancellationToken) => inner.ExportAsync(call, sink, cancellationToken);

        public Task<PurgeOutcome> PurgeAsync(PurgeCommand command, CancellationToken cancellationToken)
        {
            if (!command.DryRun)
            {
                beforeBatch();
            }

            return inner.PurgeAsync(command, cancellationToken);
        }
    }
}
