using System.Text.Json;
using DataRights.Core.Audit;
using DataRights.Core.Retention;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Host.Retention;
using DataRights.Host.Retention.Durable;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Host.Sources.Sqlite;
using DataRights.Testing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using static DataRights.Integration.Tests.Retention.PurgeKit;

namespace DataRights.Integration.Tests.Retention;

/// <summary>
/// A purge run, carried by its orchestration, is safe to interrupt and to run twice: a batch cut off by a dying host is
/// redone from the line saved so far, a finished run started again changes nothing, and two runs purging one source at
/// once delete each record once.
/// </summary>
public sealed class PurgeRunSafetyTests
{
    private static readonly DateTimeOffset Monday0230London = new(2026, 11, 2, 2, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task BatchKilledMidway_RunStartedAgain_CompletesFromTheSavedLine()
    {
        var (folder, calls, clock, settings, region, runId) = SeededCalls("datarights-purge-kill-", batchesPerActivity: 20);

        // First life: the timer's orchestration stores the run and plans the source, and its first batch activity is
        // killed (cancelled) just before its third step; two steps are committed, the line saved as it stood.
        using (var database = new SqliteDatabase(calls))
        using (var kill = new CancellationTokenSource())
        {
            var connector = new SqliteSourceConnector(database, CallsRegistration, new byte[32], clock);
            var steps = 0;
            var dying = new Interrupted(connector, () =>
            {
                if (++steps == 3)
                {
                    kill.Cancel();
                }
            });
            using var first = new DataRightsFactory(settings: settings, dataDirectory: folder, clock: clock) { Sources = new Registry((Calls, dying)) };
            using var client = first.CreateClient();
            await SavePolicyAsync(client, "eu-west", Rule("telephony.cdr", "P6M"));
            var services = first.Services;
            await services.GetRequiredService<StartPurgeRunActivity>().CarryOutAsync(
                new PurgeRunInput(runId, region.Key, Monday0230London, PurgeOrchestrations.TimerActor, DryRun: false, BatchesPerGeneration: 50), CancellationToken.None);
            Assert.Equal(["telephony.cdr"], await services.GetRequiredService<PlanPurgeSourceActivity>().CarryOutAsync(new PurgeSourceStep(runId, "calls"), CancellationToken.None));

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                services.GetRequiredService<PurgeBatchActivity>().CarryOutAsync(new PurgeBatch(runId, "calls", "telephony.cdr", 1), kill.Token));
        }

        Assert.Equal(1510, Database.Scalar(calls, "SELECT COUNT(*) FROM cdrs"));

        // Second life on the same data folder: the occurrence is started again (its task hub lost the instance with the
        // host); the run's batch 1 is redone from the saved line, as a task hub that kept it would deliver it again.
        using var restarted = new DataRightsFactory(settings: settings, dataDirectory: folder, clock: clock);
        using var database2 = new SqliteDatabase(calls);
        restarted.Sources = new Registry((Calls, new SqliteSourceConnector(database2, CallsRegistration, new byte[32], clock)));
        using var client2 = restarted.CreateClient();
        var hub = restarted.Services.GetRequiredService<DurableTaskClient>();
        Assert.True(await restarted.Services.GetRequiredService<PurgeOrchestrations>().StartOccurrenceAsync(hub, region, Monday0230London, CancellationToken.None));
        await restarted.DrainAsync();

        Assert.Equal(10, Database.Scalar(calls, "SELECT COUNT(*) FROM cdrs"));
        var report = await GetAsync(client2, $"/api/admin/purges/{runId}");
        Assert.Equal("completed", report.GetProperty("status").GetString());
        var line = Line(report, "calls", "telephony.cdr");
        Assert.Equal(2500, Count(line, "purged"));
        Assert.Equal("done", line.GetProperty("state").GetString());
        var audit = report.GetProperty("audit");
        Assert.True(audit.GetProperty("chainValid").GetBoolean());
        var actions = audit.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(["purge.started", "purge.category", "purge.finished"], actions);
    }

    [Fact]
    public async Task HoldOnTheWholeSource_PlacedWhileACategoryIsBeingPurged_StopsIt_AndTheLineSaysSo()
    {
        var (folder, calls, clock, settings, region, runId) = SeededCalls("datarights-purge-hold-", batchesPerActivity: 2);
        using var database = new SqliteDatabase(calls);
        using var factory = new DataRightsFactory(settings: settings, dataDirectory: folder, clock: clock)
        {
            Sources = new Registry((Calls, new SqliteSourceConnector(database, CallsRegistration, new byte[32], clock))),
        };
        using var client = factory.CreateClient();
        await SavePolicyAsync(client, "eu-west", Rule("telephony.cdr", "P6M"));
        var services = factory.Services;
        await services.GetRequiredService<StartPurgeRunActivity>().CarryOutAsync(
            new PurgeRunInput(runId, region.Key, Monday0230London, PurgeOrchestrations.TimerActor, DryRun: false, BatchesPerGeneration: 50), CancellationToken.None);
        Assert.Equal(["telephony.cdr"], await services.GetRequiredService<PlanPurgeSourceActivity>().CarryOutAsync(new PurgeSourceStep(runId, "calls"), CancellationToken.None));
        var batches = services.GetRequiredService<PurgeBatchActivity>();
        Assert.False((await batches.CarryOutAsync(new PurgeBatch(runId, "calls", "telephony.cdr", 1), CancellationToken.None)).Complete);
        Assert.Equal(1510, Database.Scalar(calls, "SELECT COUNT(*) FROM cdrs"));

        // Staff place a hold on the whole source (a claim over the call records) before the next batch.
        await services.GetRequiredService<ILegalHoldStore>().PlaceAsync(
            new LegalHold("hold_00000000000000aa", LegalHold.SourceScope, null, "calls", "Claim over the call records, 2026/77", "staff:test", clock.GetUtcNow()), CancellationToken.None);

        var next = await batches.CarryOutAsync(new PurgeBatch(runId, "calls", "telephony.cdr", 2), CancellationToken.None);

        Assert.True(next.Complete);
        Assert.Equal(1510, Database.Scalar(calls, "SELECT COUNT(*) FROM cdrs"));
        var line = Assert.Single(await services.GetRequiredService<IPurgeStore>().RowsAsync(runId, CancellationToken.None));
        Assert.Equal((PurgeRow.OnHold, 1000), (line.State, line.Purged));
        Assert.Contains("was placed during the run", line.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BatchWhoseOwnSaveFailsTwice_IsSavedWithItsCounts_SoTheReportCountsWhatWasDeleted()
    {
        var (folder, calls, clock, settings, region, runId) = SeededCalls("datarights-purge-save-", batchesPerActivity: 2);
        using var database = new SqliteDatabase(calls);
        var failing = new FailingBatchSaves(times: 2);
        using var factory = new DataRightsFactory(settings: settings, dataDirectory: folder, clock: clock)
        {
            Sources = new Registry((Calls, new SqliteSourceConnector(database, CallsRegistration, new byte[32], clock))),
            ConfigureServices = services =>
            {
                var inner = services.Last(d => d.ServiceType == typeof(IPurgeStore));
                services.AddSingleton<IPurgeStore>(sp => failing.Wrap((IPurgeStore)(inner.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, inner.ImplementationType!))));
            },
        };
        using var client = factory.CreateClient();
        await SavePolicyAsync(client, "eu-west", Rule("telephony.cdr", "P6M"));
        var services = factory.Services;
        await services.GetRequiredService<StartPurgeRunActivity>().CarryOutAsync(
            new PurgeRunInput(runId, region.Key, Monday0230London, PurgeOrchestrations.TimerActor, DryRun: false, BatchesPerGeneration: 50), CancellationToken.None);
        await services.GetRequiredService<PlanPurgeSourceActivity>().CarryOutAsync(new PurgeSourceStep(runId, "calls"), CancellationToken.None);

        // The batch deletes its two steps of 500, and its save of the line fails twice (a storage blip) before it lands.
        var result = await services.GetRequiredService<PurgeBatchActivity>().CarryOutAsync(new PurgeBatch(runId, "calls", "telephony.cdr", 1), CancellationToken.None);

        Assert.Equal((false, 1000), (result.Complete, result.Purged));
        Assert.Equal(3, failing.Attempts);
        Assert.Equal(1510, Database.Scalar(calls, "SELECT COUNT(*) FROM cdrs"));
        var line = Assert.Single(await services.GetRequiredService<IPurgeStore>().RowsAsync(runId, CancellationToken.None));
        Assert.Equal((1, 1000), (line.Batches, line.Purged));
    }

    /// <summary>Makes the next <c>times</c> saves of a batch's own line (one with a batch number) fail, as a storage blip would.</summary>
    private sealed class FailingBatchSaves(int times)
    {
        private readonly int _times = times;
        private int _attempts;

        /// <summary>The saves of a batch's own line tried so far, failed or not.</summary>
        public int Attempts => Volatile.Read(ref _attempts);

        public IPurgeStore Wrap(IPurgeStore inner) => new Store(inner, this);

        private sealed class Store(IPurgeStore inner, FailingBatchSaves outer) : IPurgeStore
        {
            public Task<PurgeRun> StartAsync(PurgeRun run, AuditDraft started, CancellationToken cancellationToken) => inner.StartAsync(run, started, cancellationToken);

            public Task<PurgeRun?> GetAsync(string id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

            public Task<IReadOnlyList<PurgeRun>> ListAsync(int max, CancellationToken cancellationToken) => inner.ListAsync(max, cancellationToken);

            public Task<IReadOnlyList<PurgeRow>> RowsAsync(string runId, CancellationToken cancellationToken) => inner.RowsAsync(runId, cancellationToken);

            public Task SaveRowAsync(PurgeRow row, AuditDraft? audit, CancellationToken cancellationToken) =>
                row.Batches > 0 && Interlocked.Increment(ref outer._attempts) <= outer._times
                    ? throw new IOException("The store did not answer (test).")
                    : inner.SaveRowAsync(row, audit, cancellationToken);

            public Task<bool> SaveRowIfAsync(PurgeRow row, string expectedState, AuditDraft audit, CancellationToken cancellationToken) => inner.SaveRowIfAsync(row, expectedState, audit, cancellationToken);

            public Task FinishAsync(string runId, string status, DateTimeOffset at, AuditDraft finished, CancellationToken cancellationToken) => inner.FinishAsync(runId, status, at, finished, cancellationToken);

            public Task<IReadOnlyList<AuditEntry>> AuditTrailAsync(string? runId, CancellationToken cancellationToken) => inner.AuditTrailAsync(runId, cancellationToken);

            public Task<AuditVerification> VerifyAuditAsync(CancellationToken cancellationToken) => inner.VerifyAuditAsync(cancellationToken);
        }
    }

    /// <summary>A data folder whose calls database holds 2,500 expired records and 10 fresh, the settings of a real purge in batches of 500, and eu-west's Monday run.</summary>
    private static (string Folder, string Calls, FakeTimeProvider Clock, Dictionary<string, string?> Settings, PurgeRegion Region, string RunId) SeededCalls(string prefix, int batchesPerActivity)
    {
        var folder = Directory.CreateTempSubdirectory(prefix).FullName;
        var calls = Path.Combine(folder, "calls.db");
        SeedCalls(calls, expired: 2500, fresh: 10);
        var settings = new Dictionary<string, string?>
        {
            ["DataRights:Retention:DryRun"] = "false",
            ["DataRights:Retention:BatchSize"] = "500",
            ["DataRights:Retention:BatchPause"] = "00:00:00",
            ["DataRights:Retention:BatchesPerActivity"] = batchesPerActivity.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var region = PurgeRegions.Find("eu-west")!;
        return (folder, calls, new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero)), settings, region, PurgeOrchestrations.TimerRunId(region, Monday0230London, dryRun: false));
    }

    [Fact]
    public async Task CompletedRun_StartedAgain_ChangesNothing()
    {
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?> { ["DataRights:Retention:DryRun"] = "false" });
        using var client = factory.CreateClient();
        var region = PurgeRegions.Find("us-east")!;
        var purges = factory.Services.GetRequiredService<PurgeOrchestrations>();
        var hub = factory.Services.GetRequiredService<DurableTaskClient>();
        var id = PurgeOrchestrations.TimerRunId(region, Monday0230London, dryRun: false);
        Assert.True(await purges.StartOccurrenceAsync(hub, region, Monday0230London, CancellationToken.None));
        await factory.DrainAsync();
        var entries = (await factory.Stored.RetentionAuditAsync()).Count;
        var telephony = Demo(factory, "telephony.db");
        var calls = Database.Scalar(telephony, "SELECT COUNT(*) FROM cdrs");

        // The timer's instance exists: nothing starts. An orchestration carrying the same run under another instance id
        // (its instance purged from the task hub, say) finds the run completed and does nothing either.
        var again = await purges.StartOccurrenceAsync(hub, region, Monday0230London, CancellationToken.None);
        await hub.ScheduleNewOrchestrationInstanceAsync(
            PurgeOrchestrator.Name,
            new PurgeRunInput(id, region.Key, Monday0230London, PurgeOrchestrations.TimerActor, DryRun: false, BatchesPerGeneration: 50),
            new StartOrchestrationOptions("purge-us-east-again"));
        await factory.DrainAsync();
        var second = await hub.GetInstanceAsync("purge-us-east-again", getInputsAndOutputs: true);

        Assert.False(again);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, second?.RuntimeStatus);
        var result = second!.ReadOutputAs<PurgeRunResult>()!;
        Assert.Equal(PurgeRun.Completed, result.Status);
        Assert.Empty(result.Sources);
        Assert.Equal(entries, (await factory.Stored.RetentionAuditAsync()).Count);
        Assert.Equal(calls, Database.Scalar(telephony, "SELECT COUNT(*) FROM cdrs"));
        Assert.Equal(id, Assert.Single(await factory.Stored.PurgeRunsAsync()).Id);
    }

    /// <summary>
    /// One orchestration per region and occurrence keeps a run from purging twice; two different runs (the night's timer
    /// and a staff "run now") may purge one source at the same time. Each step deletes expired records that are still
    /// there, so between them every record goes once: their reports add up to what the source held, and neither fails.
    /// </summary>
    [Fact]
    public async Task TwoRunsOfOneSource_AtOnce_PurgeEachRecordOnce()
    {
        var source = new InMemoryDataSource("calls", "Calls") { PurgeCategory = "telephony.cdr" };
        source.AddDated(new DateOnly(2025, 1, 1), 40);
        var inside = 0;
        var bothInside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.BeforePurge = async (command, token) =>
        {
            if (!command.DryRun && !bothInside.Task.IsCompleted)
            {
                if (Interlocked.Increment(ref inside) == 2)
                {
                    bothInside.TrySetResult();
                }

                // Each run's first step waits for the other's, so the two purge the source together.
                await bothInside.Task.WaitAsync(TimeSpan.FromSeconds(30), token);
            }
        };
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?>
        {
            ["DataRights:Retention:DryRun"] = "false",
            ["DataRights:Retention:BatchSize"] = "3",
            ["DataRights:Retention:BatchesPerActivity"] = "1",
            ["DataRights:Retention:BatchPause"] = "00:00:00",
        })
        { Sources = new InMemorySourceRegistry(source) };
        using var client = factory.CreateClient();
        await SavePolicyAsync(client, "eu-west", Rule("telephony.cdr", "P6M"));
        var region = PurgeRegions.Find("eu-west")!;
        var purges = factory.Services.GetRequiredService<PurgeOrchestrations>();
        var hub = factory.Services.GetRequiredService<DurableTaskClient>();
        var now = factory.Clock.GetUtcNow();
        var timerRun = PurgeOrchestrations.TimerRunId(region, Monday0230London, dryRun: false);
        var staffRun = PurgeOrchestrations.StaffRunId(region, PurgeOrchestrations.StaffOccurrence(now), dryRun: false);

        Assert.True(await purges.StartOccurrenceAsync(hub, region, Monday0230London, CancellationToken.None));
        Assert.True(await purges.StartNowAsync(hub, region, staffRun, now, "staff:test", dryRun: false, CancellationToken.None));
        await factory.DrainAsync();

        Assert.True(bothInside.Task.IsCompletedSuccessfully);
        Assert.Equal(0, source.DatedRecords);
        var lines = new List<JsonElement>();
        foreach (var runId in new[] { timerRun, staffRun })
        {
            var report = await GetAsync(client, $"/api/admin/purges/{runId}");
            Assert.Equal("completed", report.GetProperty("status").GetString());
            lines.Add(Line(report, "calls", "telephony.cdr"));
        }

        Assert.All(lines, line => Assert.Equal("done", line.GetProperty("state").GetString()));
        Assert.Equal(40, lines.Sum(line => Count(line, "purged")));
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
