using System.Text.Json;
using System.Text.RegularExpressions;
using DataRights.Core.Retention;
using DataRights.Host.Retention;
using DataRights.Host.Retention.Durable;
using DataRights.Integration.Tests.FunctionApp;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;
using DataRights.Testing.Azurite;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static DataRights.Integration.Tests.Retention.PurgeKit;

namespace DataRights.Integration.Tests.Durable;

/// <summary>
/// Retention purges as Durable orchestrations, on the local task hub over Azurite and the real clock: one run per region
/// and occurrence, the same report lines and audit chain as on the in-memory task hub, batches applied once, a source's
/// sub-orchestration continuing as new on a long run, a failing source beside working ones, and staff "run now"
/// answering at once with a status link.
/// </summary>
public sealed partial class PurgeOrchestrationTests
{
    private static readonly PurgeRegion EuWest = PurgeRegions.Find("eu-west")!;

    [Fact]
    public async Task SameRegionAndOccurrence_StartedTwice_OrByACallerThatLookedFirst_RunsOnceWithOneReport()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var source = OldRecords(5);
        using var factory = DurableJourneyTests.DurableFactory(azurite, Fast(), source);
        using var client = factory.CreateClient();
        await SavePolicyAsync(client, "eu-west", Rule("contact.email", "P6M"));
        var purges = factory.Services.GetRequiredService<PurgeOrchestrations>();
        var hub = factory.Services.GetRequiredService<DurableTaskClient>();

        // Summer in London: 02:30 local is 01:30 UTC. The trigger fires at 01:30 and at 02:30 UTC; both find that occurrence.
        var first = await purges.StartDueAsync(hub, EuWest, new DateTimeOffset(2026, 7, 1, 1, 30, 5, TimeSpan.Zero), CancellationToken.None);

        // A caller whose look-up came before that start (two triggers at the same moment): the task hub refuses its start.
        var raced = await purges.StartOccurrenceAsync(
            new LateLookupDurableClient(hub) { LateLookups = 1 }, EuWest, new DateTimeOffset(2026, 7, 1, 1, 30, 0, TimeSpan.Zero), CancellationToken.None);
        var second = await purges.StartDueAsync(hub, EuWest, new DateTimeOffset(2026, 7, 1, 2, 30, 5, TimeSpan.Zero), CancellationToken.None);
        var instanceId = PurgeOrchestrations.InstanceId(EuWest, new DateTimeOffset(2026, 7, 1, 1, 30, 0, TimeSpan.Zero), dryRun: false);
        var done = await WaitAsync(hub, instanceId);
        var afterwards = await purges.StartOccurrenceAsync(hub, EuWest, new DateTimeOffset(2026, 7, 1, 1, 30, 0, TimeSpan.Zero), CancellationToken.None);

        Assert.True(first);
        Assert.False(raced);
        Assert.False(second);
        Assert.False(afterwards);
        Assert.Equal("purge-eu-west-202607010130", instanceId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        // The run's start and finish keep trying as the settings say (their defaults here).
        var input = (await hub.GetInstanceAsync(instanceId, getInputsAndOutputs: true))!.ReadInputAs<PurgeRunInput>()!;
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromHours(6)), (input.RunStepRetryFirst, input.RunStepRetryFor));
        var store = factory.Services.GetRequiredService<IPurgeStore>();
        var run = Assert.Single(await store.ListAsync(50, CancellationToken.None));
        Assert.Equal(PurgeOrchestrations.TimerRunId(EuWest, new DateTimeOffset(2026, 7, 1, 1, 30, 0, TimeSpan.Zero), dryRun: false), run.Id);
        Assert.Equal(PurgeRun.Completed, run.Status);
        var line = Assert.Single(await store.RowsAsync(run.Id, CancellationToken.None));
        Assert.Equal(5, line.Purged);
        Assert.Equal(0, source.DatedRecords);
        var trail = await store.AuditTrailAsync(run.Id, CancellationToken.None);
        Assert.Single(trail, e => e.Action == "purge.started");
        Assert.Single(trail, e => e.Action == "purge.finished");
        Assert.True((await store.VerifyAuditAsync(CancellationToken.None)).IsValid);

        // At an hour the local clock does not use today (winter: 01:30 UTC is 01:30 in London), nothing is started.
        Assert.False(await purges.StartDueAsync(hub, EuWest, new DateTimeOffset(2026, 12, 1, 1, 30, 5, TimeSpan.Zero), CancellationToken.None));

        // With the shortest look-back allowed, a trigger firing late still finds its occurrence (the tolerance widens it).
        var shortLookBack = new PurgeOrchestrations(Options.Create(new RetentionOptions { TimerLookBack = TimeSpan.FromMinutes(1) }), NullLogger<PurgeOrchestrations>.Instance);
        Assert.True(await shortLookBack.StartDueAsync(new RecordingDurableClient(), EuWest, new DateTimeOffset(2026, 12, 2, 2, 30, 30, TimeSpan.Zero), CancellationToken.None));

        // The winter trigger at 02:30 UTC (the night's last) firing a few milliseconds early still starts that night's run.
        Assert.True(await purges.StartDueAsync(hub, EuWest, new DateTimeOffset(2026, 12, 1, 2, 29, 59, 995, TimeSpan.Zero), CancellationToken.None));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await WaitAsync(hub, PurgeOrchestrations.InstanceId(EuWest, new DateTimeOffset(2026, 12, 1, 2, 30, 0, TimeSpan.Zero), dryRun: false))).RuntimeStatus);
    }

    [Fact]
    public async Task StaffRunNow_WhenTheTaskHubRefuses_Answers503WithRetryAfter_AndRunsNothing()
    {
        using var factory = new DataRightsFactory
        {
            ConfigureServices = services => services.AddSingleton<DurableTaskClient>(new RecordingDurableClient { Refusal = new InvalidOperationException("The task hub is unavailable (test).") }),
        };
        using var client = factory.CreateClient();

        using var response = await Workflow.WorkflowEndToEndTests.StaffPostAsync(client, "/api/admin/purges", new { region = "eu-west", dryRun = false });

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Empty(await factory.Services.GetRequiredService<IPurgeStore>().ListAsync(50, CancellationToken.None));
    }

    [Fact]
    public async Task MultiSourcePurge_WithHoldsAndARetainedCategory_ReportsTheSameOnEitherTaskHub()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        using var inMemory = new DataRightsFactory { ConfigureServices = services => services.AddSingleton(TimeProvider.System) };
        using var orchestrated = DurableJourneyTests.DurableFactory(azurite);
        orchestrated.Sources = null;

        var expected = await PurgeEveryRegionAsync(inMemory);
        var actual = await PurgeEveryRegionAsync(orchestrated);

        // Lines one side has and the other has not (none): the same lines, states and counts.
        Assert.Empty(expected.Except(actual).Select(line => "in-memory hub: " + line).Concat(actual.Except(expected).Select(line => "Azure Storage hub: " + line)));
        Assert.Equal(expected.Count, actual.Count);
        Assert.Contains(actual, line => line.StartsWith("billing/billing.invoice/age: done", StringComparison.Ordinal) && line.Contains("UK tax law", StringComparison.Ordinal));
        Assert.Contains(actual, line => line.StartsWith("recordings/telephony.recording/age: held", StringComparison.Ordinal));
        Assert.Contains(actual, line => line.StartsWith("crm/contact.email/age: not_supported", StringComparison.Ordinal));
        // The runs on Azure Storage are the purge orchestration's, and every source's orchestration finished.
        var hub = orchestrated.Services.GetRequiredService<DurableTaskClient>();
        var runs = await orchestrated.Services.GetRequiredService<IPurgeStore>().ListAsync(10, CancellationToken.None);
        Assert.Equal(3, runs.Count);
        foreach (var run in runs)
        {
            var instance = await hub.GetInstanceAsync(PurgeOrchestrations.StaffInstanceId(run.Id), getInputsAndOutputs: true);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, instance?.RuntimeStatus);
            Assert.All(instance!.ReadOutputAs<PurgeRunResult>()!.Sources, s => Assert.Null(s.Failure));
        }
    }

    [Fact]
    public async Task BatchActivity_RunAgain_ChangesNothing()
    {
        var source = OldRecords(5);
        using var factory = new DataRightsFactory(settings: Fast()) { Sources = new InMemorySourceRegistry(source) };
        const string RunId = "pr_eu-west_batch-test";
        var (started, categories) = await StartedAndPlannedAsync(factory, RunId);
        var services = factory.Services;
        var store = services.GetRequiredService<IPurgeStore>();
        var batches = services.GetRequiredService<PurgeBatchActivity>();
        PurgeBatch Batch(int number) => new(RunId, "alpha", "contact.email", number);

        var first = await batches.CarryOutAsync(Batch(1), CancellationToken.None);
        var lineAfterFirst = Assert.Single(await store.RowsAsync(RunId, CancellationToken.None));
        var trailAfterFirst = await store.AuditTrailAsync(RunId, CancellationToken.None);
        var firstAgain = await batches.CarryOutAsync(Batch(1), CancellationToken.None);

        Assert.Equal(["alpha"], started.SourceKeys);
        Assert.Equal(["contact.email"], categories);
        Assert.Equal(new PurgeBatchResult(Complete: false, 2), first);
        Assert.Equal(new PurgeBatchResult(Complete: false, 0), firstAgain);
        Assert.Equal(3, source.DatedRecords);
        Assert.Equal(lineAfterFirst, Assert.Single(await store.RowsAsync(RunId, CancellationToken.None)));
        Assert.Equal(trailAfterFirst.Count, (await store.AuditTrailAsync(RunId, CancellationToken.None)).Count);

        Assert.Equal(new PurgeBatchResult(Complete: false, 2), await batches.CarryOutAsync(Batch(2), CancellationToken.None));
        Assert.Equal(new PurgeBatchResult(Complete: true, 1), await batches.CarryOutAsync(Batch(3), CancellationToken.None));
        var done = Assert.Single(await store.RowsAsync(RunId, CancellationToken.None));
        var trail = await store.AuditTrailAsync(RunId, CancellationToken.None);
        Assert.Equal(new PurgeBatchResult(Complete: true, 0), await batches.CarryOutAsync(Batch(3), CancellationToken.None));
        Assert.Equal(new PurgeBatchResult(Complete: true, 0), await batches.CarryOutAsync(Batch(2), CancellationToken.None));

        Assert.Equal(PurgeRow.Done, done.State);
        Assert.Equal(5, done.Purged);
        Assert.Equal(0, source.DatedRecords);
        Assert.Equal(done, Assert.Single(await store.RowsAsync(RunId, CancellationToken.None)));
        Assert.Equal(trail.Count, (await store.AuditTrailAsync(RunId, CancellationToken.None)).Count);
        Assert.Single(trail, e => e.Action == "purge.category");
        Assert.Equal(PurgeRun.Completed, await services.GetRequiredService<FinishPurgeRunActivity>().CarryOutAsync(RunId, CancellationToken.None));
        Assert.Equal(PurgeRun.Completed, await services.GetRequiredService<FinishPurgeRunActivity>().CarryOutAsync(RunId, CancellationToken.None));
        Assert.Single(await store.AuditTrailAsync(RunId, CancellationToken.None), e => e.Action == "purge.finished");
    }

    [Fact]
    public async Task FinishActivity_RunAgainOnAnIncompleteRun_WritesOneFinishedEntry_AndKeepsItsFinishTime()
    {
        // A source left its line unfinished, so the run ends incomplete; the step finishing it runs again (the broker
        // was down when it published the report, or its process stopped before its result was saved).
        using var factory = new DataRightsFactory(settings: Fast()) { Sources = new InMemorySourceRegistry(OldRecords(5)) };
        const string RunId = "pr_eu-west_finish-test";
        await StartedAndPlannedAsync(factory, RunId);
        var services = factory.Services;
        var store = services.GetRequiredService<IPurgeStore>();
        Assert.False((await services.GetRequiredService<PurgeBatchActivity>().CarryOutAsync(new PurgeBatch(RunId, "alpha", "contact.email", 1), CancellationToken.None)).Complete);
        var finish = services.GetRequiredService<FinishPurgeRunActivity>();

        Assert.Equal(PurgeRun.Incomplete, await finish.CarryOutAsync(RunId, CancellationToken.None));
        var finishedAt = (await store.GetAsync(RunId, CancellationToken.None))!.FinishedAt;
        factory.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(PurgeRun.Incomplete, await finish.CarryOutAsync(RunId, CancellationToken.None));

        Assert.NotNull(finishedAt);
        Assert.Equal(finishedAt, (await store.GetAsync(RunId, CancellationToken.None))!.FinishedAt);
        Assert.Single(await store.AuditTrailAsync(RunId, CancellationToken.None), e => e.Action == "purge.finished");
        Assert.True((await store.VerifyAuditAsync(CancellationToken.None)).IsValid);
    }

    [Fact]
    public async Task FinishActivity_ToldOfASourceThatFailedOutright_CallsTheRunIncomplete_AndItsTrailNamesIt()
    {
        // Every line is final, but a source's orchestration failed before it wrote any (its plan failed three times).
        using var factory = new DataRightsFactory(settings: Fast()) { Sources = new InMemorySourceRegistry(OldRecords(5)) };
        const string RunId = "pr_eu-west_failed-source";
        await StartedAndPlannedAsync(factory, RunId);
        var services = factory.Services;
        for (var n = 1; !(await services.GetRequiredService<PurgeBatchActivity>().CarryOutAsync(new PurgeBatch(RunId, "alpha", "contact.email", n), CancellationToken.None)).Complete; n++)
        {
            Assert.InRange(n, 1, 10);
        }

        Assert.All(await services.GetRequiredService<IPurgeStore>().RowsAsync(RunId, CancellationToken.None), r => Assert.True(r.IsFinal));
        var status = await services.GetRequiredService<FinishPurgeRunActivity>().CarryOutAsync(new PurgeRunFinish(RunId, ["beta"]), CancellationToken.None);

        Assert.Equal(PurgeRun.Incomplete, status);
        var finished = Assert.Single(await services.GetRequiredService<IPurgeStore>().AuditTrailAsync(RunId, CancellationToken.None), e => e.Action == "purge.finished");
        Assert.Equal("beta", finished.Detail("failedSources"));
    }

    [Fact]
    public async Task Batch_OfASourceThatSaysMoreIsDueButDeletesNothing_EndsTheCategory_RatherThanAskingForEver()
    {
        var source = OldRecords(5);
        source.PurgeNeverCompletes = true;
        using var factory = new DataRightsFactory(settings: Fast()) { Sources = new InMemorySourceRegistry(source) };
        const string RunId = "pr_eu-west_no-progress";
        await StartedAndPlannedAsync(factory, RunId);

        var result = await factory.Services.GetRequiredService<PurgeBatchActivity>().CarryOutAsync(new PurgeBatch(RunId, "alpha", "contact.email", 1), CancellationToken.None);

        Assert.True(result.Complete);
        var line = Assert.Single(await factory.Services.GetRequiredService<IPurgeStore>().RowsAsync(RunId, CancellationToken.None));
        Assert.Equal((PurgeRow.Done, 0, 5, 1), (line.State, line.Purged, line.Held, line.Errors));
        Assert.Contains("deleted none in a step", line.Note, StringComparison.Ordinal);
    }

    /// <summary>eu-west's policy saved (contact emails, six months), run <paramref name="runId"/> started by its activity and source alpha planned.</summary>
    private static async Task<(PurgeRunStarted Started, IReadOnlyList<string> Categories)> StartedAndPlannedAsync(DataRightsFactory factory, string runId)
    {
        using (var client = factory.CreateClient())
        {
            await SavePolicyAsync(client, "eu-west", Rule("contact.email", "P6M"));
        }

        var started = await factory.Services.GetRequiredService<StartPurgeRunActivity>().CarryOutAsync(
            new PurgeRunInput(runId, "eu-west", factory.Clock.GetUtcNow(), "system:test", DryRun: false, BatchesPerGeneration: 50), CancellationToken.None);
        var categories = await factory.Services.GetRequiredService<PlanPurgeSourceActivity>().CarryOutAsync(new PurgeSourceStep(runId, "alpha"), CancellationToken.None);
        return (started, categories);
    }

    [Fact]
    public async Task LongRun_ContinuesAsNew_AndPurgesEverything()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var source = OldRecords(30);
        source.AddDated(DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime), 2);
        using var factory = DurableJourneyTests.DurableFactory(azurite, Fast(("DataRights:Retention:BatchesPerGeneration", "3")), source);
        using var client = factory.CreateClient();
        await SavePolicyAsync(client, "eu-west", Rule("contact.email", "P6M"));
        var hub = factory.Services.GetRequiredService<DurableTaskClient>();
        var now = TimeProvider.System.GetUtcNow();
        var runId = PurgeOrchestrations.StaffRunId(EuWest, PurgeOrchestrations.StaffOccurrence(now), dryRun: false);

        Assert.True(await factory.Services.GetRequiredService<PurgeOrchestrations>().StartNowAsync(hub, EuWest, runId, now, "system:test", dryRun: false, CancellationToken.None));
        var result = (await WaitAsync(hub, PurgeOrchestrations.StaffInstanceId(runId))).ReadOutputAs<PurgeRunResult>()!;

        Assert.Equal(PurgeRun.Completed, result.Status);
        var alpha = Assert.Single(result.Sources);
        // 15 full batches of two and the one that finds nothing left: 16 batches, three rounds to a generation.
        Assert.Equal(16, alpha.Batches);
        Assert.Equal(6, alpha.Generations);
        Assert.Equal(2, source.DatedRecords);
        var store = factory.Services.GetRequiredService<IPurgeStore>();
        var line = Assert.Single(await store.RowsAsync(runId, CancellationToken.None));
        Assert.Equal(PurgeRow.Done, line.State);
        Assert.Equal(30, line.Purged);
        Assert.Equal(30, line.Scanned);
        Assert.True((await store.VerifyAuditAsync(CancellationToken.None)).IsValid);
        // The source's orchestration continued as new: its input is its last generation's, where the source stood then.
        var instance = await hub.GetInstanceAsync(PurgeSourceOrchestrator.InstanceId(PurgeOrchestrations.StaffInstanceId(runId), "alpha"), getInputsAndOutputs: true);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance?.RuntimeStatus);
        var lastGeneration = instance!.ReadInputAs<PurgeSourceInput>()!;
        Assert.Equal(6, lastGeneration.Generation);
        Assert.Equal(15, lastGeneration.Source.Batches);
    }

    [Fact]
    public async Task FailingSource_IsReportedAndTheOthersGoOn()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var broken = new InMemoryDataSource("alpha", "Alpha") { BeforePurge = (_, _) => throw new InvalidOperationException("The disk is full.") };
        var working = OldRecords(5, "beta");
        working.AddDated(DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime), 2);
        using var factory = DurableJourneyTests.DurableFactory(azurite, Fast(), broken, working);
        using var client = factory.CreateClient();
        await SavePolicyAsync(client, "eu-west", Rule("contact.email", "P6M"));

        var report = await RunNowAsync(client, "eu-west", dryRun: false);

        AssertFailingSourceReportedAndTheOtherPurged(report, working);
        Assert.True(report.GetProperty("audit").GetProperty("chainValid").GetBoolean());
    }

    [Fact]
    public async Task RunNow_AnswersBeforeThePurgeEnds_OnceForTheOccurrence_AndItsStatusLinkReportsTheRun()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var source = OldRecords(5);
        source.BeforePurge = (_, token) => release.Task.WaitAsync(token);
        using var factory = DurableJourneyTests.DurableFactory(azurite, Fast(), source);
        using var client = factory.CreateClient();
        await SavePolicyAsync(client, "eu-west", Rule("contact.email", "P6M"));

        // The purge waits for the release, so the answers below come while it runs.
        var statusUrl = await StartNowAsync(client, "eu-west", dryRun: false);
        var again = await StartNowAsync(client, "eu-west", dryRun: false);
        var running = await GetAsync(client, statusUrl);
        release.SetResult();
        var finished = await FollowStatusAsync(client, statusUrl);

        Assert.Equal(statusUrl, again);
        Assert.Equal("running", running.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, running.GetProperty("report").ValueKind);
        Assert.Equal("finished", finished.GetProperty("state").GetString());
        var report = finished.GetProperty("report");
        Assert.Equal("completed", report.GetProperty("status").GetString());
        Assert.Equal(5, Count(Line(report, "alpha", "contact.email"), "purged"));
        Assert.Equal(0, source.DatedRecords);
        var run = Assert.Single(await factory.Services.GetRequiredService<IPurgeStore>().ListAsync(10, CancellationToken.None));
        Assert.Equal(finished.GetProperty("id").GetString(), run.Id);
        Assert.Single(await factory.Services.GetRequiredService<IPurgeStore>().AuditTrailAsync(run.Id, CancellationToken.None), e => e.Action == "purge.started");
    }

    [Fact]
    public async Task RunNow_OrchestrationStopped_StatusLinkSaysFailed()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var source = OldRecords(5);
        source.BeforePurge = (_, token) => release.Task.WaitAsync(token);
        using var factory = DurableJourneyTests.DurableFactory(azurite, Fast(), source);
        using var client = factory.CreateClient();
        await SavePolicyAsync(client, "eu-west", Rule("contact.email", "P6M"));
        var hub = factory.Services.GetRequiredService<DurableTaskClient>();

        var statusUrl = await StartNowAsync(client, "eu-west", dryRun: false);
        var runId = (await GetAsync(client, statusUrl)).GetProperty("id").GetString()!;
        await hub.TerminateInstanceAsync(PurgeOrchestrations.StaffInstanceId(runId), new TerminateInstanceOptions());
        await WaitAsync(hub, PurgeOrchestrations.StaffInstanceId(runId));
        var status = await FollowStatusAsync(client, statusUrl);
        release.SetResult();

        Assert.Equal("failed", status.GetProperty("state").GetString());
        Assert.Contains("was stopped", status.GetProperty("problem").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Small batches, no pause: a long run in a few seconds.</summary>
    private static Dictionary<string, string?> Fast(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["DataRights:Retention:BatchSize"] = "2",
            ["DataRights:Retention:BatchesPerActivity"] = "1",
            ["DataRights:Retention:BatchPause"] = "00:00:00",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static InMemoryDataSource OldRecords(int count, string key = "alpha")
    {
        var source = new InMemoryDataSource(key, key.ToUpperInvariant());
        source.AddDated(new DateOnly(2025, 1, 1), count);
        return source;
    }

    private static async Task<OrchestrationMetadata> WaitAsync(DurableTaskClient hub, string instanceId)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        return await hub.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, patience.Token);
    }

    /// <summary>
    /// The demo sources with a person on hold, the recordings source on hold and invoices retained for seven years, purged
    /// in every region through the staff API: each report line without its duration, in a stable order.
    /// </summary>
    private static async Task<List<string>> PurgeEveryRegionAsync(DataRightsFactory factory)
    {
        using var client = factory.CreateClient();
        await HoldsAndARetainedCategoryAsync(client);
        var lines = new List<string>();
        foreach (var region in new[] { "us-east", "us-west", "eu-west" })
        {
            var report = await RunNowAsync(client, region, dryRun: false);
            Assert.Equal("completed", report.GetProperty("status").GetString());
            Assert.True(report.GetProperty("audit").GetProperty("chainValid").GetBoolean());
            lines.AddRange(report.GetProperty("rows").EnumerateArray().Select(Describe));
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static string Describe(JsonElement line) =>
        $"{line.GetProperty("source").GetString()}/{line.GetProperty("category").GetString()}/{line.GetProperty("kind").GetString()}: " +
        $"{line.GetProperty("state").GetString()} cutoff {line.GetProperty("cutoff")} scanned {Count(line, "scanned")} purged {Count(line, "purged")} " +
        $"held {Count(line, "held")} retained {Count(line, "retained")} errors {Count(line, "errors")} note {HoldIds().Replace(line.GetProperty("note").ToString(), "(hold)")}";

    /// <summary>A legal hold's id in a note ("A legal hold on the whole source (hold_...) stands"): each host makes its own.</summary>
    [GeneratedRegex(@"\((hold|lh)[_-][A-Za-z0-9_-]+\)")]
    private static partial Regex HoldIds();
}
