using System.Collections.Concurrent;
using DataRights.Core.Retention;
using DataRights.Host.Durable;
using DataRights.Host.Retention;
using DataRights.Host.Retention.Durable;
using DataRights.Testing.Durable;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DataRights.Integration.Tests.Durable;

/// <summary>
/// The purge orchestration and its per-source sub-orchestrations on the in-memory Durable Task test host (real replay),
/// with the activities replaced by scripted ones.
/// </summary>
public sealed class PurgeOrchestratorTests
{
    [Fact]
    public async Task SourceWhoseBatchFails_EndsWithItsError_AndTheOtherSourcesFinish()
    {
        var batches = new ConcurrentQueue<PurgeBatch>();
        var finished = new ConcurrentQueue<PurgeRunFinish>();
        await using var host = await StartAsync(
            _ => new PurgeRunStarted(AlreadyFinished: false, ["alpha", "beta", "gamma"]),
            step => step.SourceKey == "gamma" ? [] : ["contact.email", "billing.invoice"],
            batch =>
            {
                batches.Enqueue(batch);
                // alpha's invoices fail every attempt; every other category is done in two batches.
                return batch is { SourceKey: "alpha", Category: "billing.invoice" }
                    ? throw new InvalidOperationException("The disk is full.")
                    : new PurgeBatchResult(Complete: batch.Number == 2, 10);
            },
            finish =>
            {
                finished.Enqueue(finish);
                return PurgeRun.Incomplete;
            });

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(
            PurgeOrchestrator.Name, new PurgeRunInput("pr_test", "eu-west", DateTimeOffset.UnixEpoch, "system:test", DryRun: false, BatchesPerGeneration: 3), new StartOrchestrationOptions("purge-test"));
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, patience.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var result = done.ReadOutputAs<PurgeRunResult>()!;
        Assert.Equal(PurgeRun.Incomplete, result.Status);
        // The finish is told which source failed outright, so the run is not called complete whatever its lines say.
        var told = Assert.Single(finished);
        Assert.Equal("pr_test", told.RunId);
        Assert.Equal(["alpha"], told.FailedSources!);
        var alpha = Assert.Single(result.Sources, s => s.SourceKey == "alpha");
        Assert.Equal(("System.InvalidOperationException", 3, 1), (alpha.Failure, alpha.Batches, alpha.Generations));
        // beta ran all four batches, three to a generation: it continued as new once.
        var beta = Assert.Single(result.Sources, s => s.SourceKey == "beta");
        Assert.Equal(((string?)null, 4, 2), (beta.Failure, beta.Batches, beta.Generations));
        var gamma = Assert.Single(result.Sources, s => s.SourceKey == "gamma");
        Assert.Equal(((string?)null, 0, 1), (gamma.Failure, gamma.Batches, gamma.Generations));
        Assert.Equal(4, batches.Count(b => b.SourceKey == "beta"));
        Assert.Equal(3, batches.Count(b => b is { SourceKey: "alpha", Category: "billing.invoice" }));
        // Each source's orchestration is named after the run's instance and the source.
        foreach (var key in new[] { "alpha", "beta", "gamma" })
        {
            var child = await host.Client.GetInstanceAsync(PurgeSourceOrchestrator.InstanceId(id, key));
            Assert.Equal(OrchestrationRuntimeStatus.Completed, child?.RuntimeStatus);
        }
    }

    [Fact]
    public async Task StartAndFinish_FailingPastABatchesThreeTries_AreTriedAgainUntilTheyWork_AndTheRunEndsWithItsReport()
    {
        // Storage out for the run's first four starts and its first four finishes: a batch would have given up after three.
        var starts = 0;
        var finishes = 0;
        await using var host = await StartAsync(
            _ => Interlocked.Increment(ref starts) <= 4 ? throw new InvalidOperationException("The store is unreachable.") : new PurgeRunStarted(AlreadyFinished: false, ["alpha"]),
            _ => ["contact.email"],
            _ => new PurgeBatchResult(Complete: true, 10),
            _ => Interlocked.Increment(ref finishes) <= 4 ? throw new InvalidOperationException("The broker is unreachable.") : PurgeRun.Completed);

        var done = await RunAsync(host, "purge-outage", TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(PurgeRun.Completed, done.ReadOutputAs<PurgeRunResult>()!.Status);
        Assert.Equal((5, 5), (starts, finishes));
    }

    [Fact]
    public async Task Finish_FailingLongerThanTheRunKeepsTrying_FailsTheRun()
    {
        var finishes = 0;
        await using var host = await StartAsync(
            _ => new PurgeRunStarted(AlreadyFinished: false, []),
            _ => [],
            _ => new PurgeBatchResult(Complete: true, 0),
            _ => Interlocked.Increment(ref finishes) > 0 ? throw new InvalidOperationException("The broker is unreachable.") : PurgeRun.Completed);

        var done = await RunAsync(host, "purge-long-outage", TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2));

        // Tried at 0, 0.2, 0.6 and 1.4 s; the next pause (1.6 s) ends past the 2 s the run keeps trying.
        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.InRange(finishes, 3, 5);
    }

    [Fact]
    public async Task SourceWhoseBatchKeptStoppingTheProgram_FailsAtOnce_WithoutARetry_AndTheOtherSourceFinishes()
    {
        // The task hub no longer runs alpha's batch (it was in progress each time the program stopped) and fails it: the
        // batch is not tried again, as a failing one is three times, and alpha fails for this run with that reason.
        var batches = new ConcurrentQueue<PurgeBatch>();
        var finished = new ConcurrentQueue<PurgeRunFinish>();
        await using var host = await StartAsync(
            _ => new PurgeRunStarted(AlreadyFinished: false, ["alpha", "beta"]),
            _ => ["contact.email"],
            batch =>
            {
                batches.Enqueue(batch);
                return batch.SourceKey == "alpha"
                    ? throw new StepStoppedTheProgramException("This step was in progress each of the 3 times the program stopped without finishing it.")
                    : new PurgeBatchResult(Complete: true, 10);
            },
            finish =>
            {
                finished.Enqueue(finish);
                return PurgeRun.Incomplete;
            });

        var done = await RunAsync(host, "purge-stopped", TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Single(batches, b => b.SourceKey == "alpha");
        var alpha = Assert.Single(done.ReadOutputAs<PurgeRunResult>()!.Sources, s => s.SourceKey == "alpha");
        Assert.Equal(StepStoppedTheProgramException.ErrorType, alpha.Failure);
        Assert.Equal(["alpha"], Assert.Single(finished).FailedSources!);
    }

    [Fact]
    public async Task Start_ThatKeptStoppingTheProgram_IsNotTriedForHours_TheRunFails()
    {
        // A start failing otherwise is tried again for as long as the run keeps trying (the test above); one the task hub
        // no longer runs fails the run at once, which the hourly check starts again a few times, as any failed run.
        var starts = 0;
        await using var host = await StartAsync(
            _ =>
            {
                Interlocked.Increment(ref starts);
                throw new StepStoppedTheProgramException("This step was in progress each of the 3 times the program stopped without finishing it.");
            },
            _ => [],
            _ => new PurgeBatchResult(Complete: true, 0),
            _ => PurgeRun.Completed);

        var done = await RunAsync(host, "purge-start-stopped", TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(1));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(1, starts);
    }

    [Fact]
    public void RunStepRetry_FromInputsTheTaskHubWouldRefuse_IsStillAPolicyItTakes()
    {
        // A run started before the settings were checked against each other: its budget shorter than its first pause.
        var input = new PurgeRunInput("pr_test", "eu-west", DateTimeOffset.UnixEpoch, "system:test", DryRun: false, BatchesPerGeneration: 3)
        {
            RunStepRetryFirst = TimeSpan.FromMinutes(10),
            RunStepRetryFor = TimeSpan.FromMinutes(1),
        };

        var policy = PurgeOrchestrator.RunStepRetry(input).Retry!.Policy!;

        Assert.Equal((TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10)), (policy.FirstRetryInterval, policy.MaxRetryInterval, policy.RetryTimeout));
    }

    /// <summary>A run whose start and finish are tried again from <paramref name="first"/> for <paramref name="retryFor"/>, until it ends.</summary>
    private static async Task<OrchestrationMetadata> RunAsync(DurableTaskTestHost host, string instanceId, TimeSpan first, TimeSpan retryFor)
    {
        var input = new PurgeRunInput("pr_test", "eu-west", DateTimeOffset.UnixEpoch, "system:test", DryRun: false, BatchesPerGeneration: 3)
        {
            RunStepRetryFirst = first,
            RunStepRetryFor = retryFor,
        };
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(PurgeOrchestrator.Name, input, new StartOrchestrationOptions(instanceId));
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        return await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, patience.Token);
    }

    [Fact]
    public async Task TimerRun_WhoseFinishFailedPastItsRetries_IsStartedAgainByTheHourlyCheck_WithTheSameRun_AndEndsWithItsReport()
    {
        // The broker is out longer than the run keeps trying its finish: the orchestration fails, the night has no report.
        var outage = true;
        var finishes = new ConcurrentQueue<(string RunId, bool Failed)>();
        await using var host = await StartAsync(
            _ => new PurgeRunStarted(AlreadyFinished: false, ["alpha"]),
            _ => ["contact.email"],
            _ => new PurgeBatchResult(Complete: true, 10),
            finish =>
            {
                finishes.Enqueue((finish.RunId, Volatile.Read(ref outage)));
                return Volatile.Read(ref outage) ? throw new InvalidOperationException("The broker is unreachable.") : PurgeRun.Completed;
            });
        var purges = Purges();
        var occurrence = new DateTimeOffset(2026, 7, 1, 1, 30, 0, TimeSpan.Zero);
        var first = PurgeOrchestrations.InstanceId(EuWest, occurrence, dryRun: false);
        Assert.True(await purges.StartOccurrenceAsync(host.Client, EuWest, occurrence, CancellationToken.None));
        Assert.Equal(OrchestrationRuntimeStatus.Failed, (await WaitAsync(host, first)).RuntimeStatus);

        // The outage over, the next hourly check starts the run again; the check after that finds it done.
        Volatile.Write(ref outage, false);
        var started = await purges.ResumeFailedAsync(host.Client, [EuWest], occurrence.AddHours(3), CancellationToken.None);
        var again = PurgeOrchestrations.ResumeInstanceId(first, 1);
        var done = await WaitAsync(host, again);
        var later = await purges.ResumeFailedAsync(host.Client, [EuWest], occurrence.AddHours(4), CancellationToken.None);

        Assert.Equal((1, 0), (started, later));
        Assert.Equal("purge-eu-west-202607010130-again-1", again);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var runId = PurgeOrchestrations.TimerRunId(EuWest, occurrence, dryRun: false);
        Assert.Equal(PurgeRun.Completed, done.ReadOutputAs<PurgeRunResult>()!.Status);
        Assert.All(finishes, f => Assert.Equal(runId, f.RunId));
        Assert.Single(finishes, f => !f.Failed);
        // The run's report finds the orchestration that finished it.
        var stored = new PurgeRun(runId, EuWest.Key, PurgeOrchestrations.TimerActor, DryRun: false, occurrence, occurrence, PurgeRun.Running);
        Assert.Equal(again, (await PurgeOrchestrations.FindAsync(host.Client, runId, stored, CancellationToken.None))?.InstanceId);
    }

    [Fact]
    public async Task TimerRun_ThatFailsEachTimeItIsStartedAgain_IsStartedAgainThreeTimes_ThenLeftToTheNextNight()
    {
        await using var host = await StartAsync(
            _ => throw new InvalidOperationException("The store is unreachable."),
            _ => [],
            _ => new PurgeBatchResult(Complete: true, 0),
            _ => PurgeRun.Completed);
        var purges = Purges();
        var occurrence = new DateTimeOffset(2026, 7, 1, 1, 30, 0, TimeSpan.Zero);
        var first = PurgeOrchestrations.InstanceId(EuWest, occurrence, dryRun: false);
        await purges.StartOccurrenceAsync(host.Client, EuWest, occurrence, CancellationToken.None);
        await WaitAsync(host, first);

        var started = new List<int>();
        for (var hour = 1; hour <= PurgeOrchestrations.MaxResumes + 1; hour++)
        {
            started.Add(await purges.ResumeFailedAsync(host.Client, [EuWest], occurrence.AddHours(hour), CancellationToken.None));
            if (hour <= PurgeOrchestrations.MaxResumes)
            {
                Assert.Equal(OrchestrationRuntimeStatus.Failed, (await WaitAsync(host, PurgeOrchestrations.ResumeInstanceId(first, hour))).RuntimeStatus);
            }
        }

        Assert.Equal([1, 1, 1, 0], started);
        Assert.Null(await host.Client.GetInstanceAsync(PurgeOrchestrations.ResumeInstanceId(first, PurgeOrchestrations.MaxResumes + 1)));
        // A run of an occurrence more than a week old is not looked at.
        Assert.Equal(0, await Purges().ResumeFailedAsync(host.Client, [EuWest], occurrence.AddDays(8), CancellationToken.None));
    }

    [Fact]
    public async Task StaffRun_WhoseStartFailedPastItsRetries_IsStartedAgainByTheHourlyCheck_AsItWasAskedFor_ThenLeftAlone()
    {
        // Staff asked for a run now during an outage longer than the run keeps trying its start.
        var outage = true;
        var starts = new ConcurrentQueue<(string RunId, string Actor)>();
        await using var host = await StartAsync(
            start =>
            {
                starts.Enqueue((start.RunId, start.Actor));
                return Volatile.Read(ref outage) ? throw new InvalidOperationException("The store is unreachable.") : new PurgeRunStarted(AlreadyFinished: false, ["alpha"]);
            },
            _ => ["contact.email"],
            _ => new PurgeBatchResult(Complete: true, 4),
            _ => PurgeRun.Completed);
        var purges = Purges();
        var asked = new DateTimeOffset(2026, 7, 1, 15, 45, 0, TimeSpan.Zero);
        var runId = PurgeOrchestrations.StaffRunId(EuWest, asked, dryRun: false);
        var first = PurgeOrchestrations.StaffInstanceId(runId);
        Assert.True(await purges.StartNowAsync(host.Client, EuWest, runId, asked, "staff:Dana", dryRun: false, CancellationToken.None));
        Assert.Equal(OrchestrationRuntimeStatus.Failed, (await WaitAsync(host, first)).RuntimeStatus);

        Volatile.Write(ref outage, false);
        var started = await purges.ResumeFailedAsync(host.Client, [EuWest], asked.AddHours(1), CancellationToken.None);
        var again = PurgeOrchestrations.ResumeInstanceId(first, 1);
        var done = await WaitAsync(host, again);
        var later = await purges.ResumeFailedAsync(host.Client, [EuWest], asked.AddHours(2), CancellationToken.None);

        Assert.Equal((1, 0), (started, later));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(PurgeRun.Completed, done.ReadOutputAs<PurgeRunResult>()!.Status);
        // The same run, for the same person: its report names who asked, and finds the instance that finished it.
        Assert.All(starts, s => Assert.Equal((runId, "staff:Dana"), s));
        Assert.Equal(again, (await PurgeOrchestrations.FindAsync(host.Client, runId, stored: null, CancellationToken.None))?.InstanceId);
    }

    private static readonly PurgeRegion EuWest = PurgeRegions.Find("eu-west")!;

    /// <summary>Starts purges whose run's start and finish keep trying for one second.</summary>
    private static PurgeOrchestrations Purges() => new(
        Options.Create(new RetentionOptions { RunStepRetryFirst = TimeSpan.FromMilliseconds(100), RunStepRetryFor = TimeSpan.FromSeconds(1) }),
        NullLogger<PurgeOrchestrations>.Instance);

    private static async Task<OrchestrationMetadata> WaitAsync(DurableTaskTestHost host, string instanceId)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        return await host.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, patience.Token);
    }

    /// <summary>The test host with both orchestrators and the four activities scripted.</summary>
    private static Task<DurableTaskTestHost> StartAsync(
        Func<PurgeRunInput, PurgeRunStarted> start,
        Func<PurgeSourceStep, IReadOnlyList<string>> plan,
        Func<PurgeBatch, PurgeBatchResult> batch,
        Func<PurgeRunFinish, string> finish) =>
        DurableTestHosts.StartAsync(registry => registry
            .AddOrchestrator<PurgeOrchestrator>()
            .AddOrchestrator<PurgeSourceOrchestrator>()
            .AddActivityFunc<PurgeRunInput, PurgeRunStarted>(StartPurgeRunActivity.Name, (_, input) => start(input))
            .AddActivityFunc<PurgeSourceStep, IReadOnlyList<string>>(PlanPurgeSourceActivity.Name, (_, step) => plan(step))
            .AddActivityFunc<PurgeBatch, PurgeBatchResult>(PurgeBatchActivity.Name, (_, input) => batch(input))
            .AddActivityFunc<PurgeRunFinish, string>(FinishPurgeRunActivity.Name, (_, input) => finish(input)));
}
