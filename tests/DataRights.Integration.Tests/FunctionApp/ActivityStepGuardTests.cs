using DataRights.Functions.Durable;
using DataRights.Host.Durable;
using DataRights.Host.Retention.Durable;
using DataRights.Storage.AzureTables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataRights.Integration.Tests.FunctionApp;

/// <summary>
/// On Azure the Function App's activities note each request or purge step they run (<see cref="ActivityStepGuard"/>): one in
/// progress each of three times a worker stopped is not run again but fails, which the orchestration gives up. A
/// worker that "stops" here is a guard whose step never finishes; each guard is a new worker over the same notes (on
/// disk for the guard's own rules, in the store for the Function App's, which every instance shares).
/// </summary>
public sealed class ActivityStepGuardTests : IDisposable
{
    private static readonly SourceStepRun Search = new("dr_0123456789abcdef01234567", "discover", "crm", 1, 1);
    private readonly string _folder = Directory.CreateTempSubdirectory("datarights-worker-notes-").FullName;
    private readonly Infrastructure.CapturedLogs _logs = new();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task AStepInProgressEachOfThreeTimesTheWorkerStopped_IsNotRun_ButFails_ThenRunsAfreshWhenAskedAgain()
    {
        for (var worker = 1; worker <= 3; worker++)
        {
            StopsWithTheStepInProgress();
        }

        var ran = false;
        var failure = await Assert.ThrowsAsync<StepStoppedTheProgramException>(() => Worker().RunAsync(JourneySteps.SearchSource, Search.RequestId, Search, () => Ran(ref ran)));

        Assert.False(ran);
        Assert.Contains("each of the 3 times", failure.Message, StringComparison.Ordinal);
        Assert.Contains(_logs.Lines, l => l.Contains("[3452]", StringComparison.Ordinal) && l.Contains(Search.RequestId, StringComparison.Ordinal));

        // Given up, its count starts afresh: asked for again (a staff retry), it runs.
        await Worker().RunAsync(JourneySteps.SearchSource, Search.RequestId, Search, () => Ran(ref ran));
        Assert.True(ran);
    }

    [Fact]
    public async Task AStepThatFinishes_StartsItsCountAgain_AndAnotherInputIsAnotherStep()
    {
        StopsWithTheStepInProgress();
        StopsWithTheStepInProgress();
        var ran = false;
        await Worker().RunAsync(JourneySteps.SearchSource, Search.RequestId, Search, () => Ran(ref ran));
        StopsWithTheStepInProgress();
        StopsWithTheStepInProgress();

        ran = false;
        await Worker().RunAsync(JourneySteps.SearchSource, Search.RequestId, Search, () => Ran(ref ran));
        Assert.True(ran);

        // The same search given up (told to record the source's failure) is another step: it runs.
        StopsWithTheStepInProgress();
        StopsWithTheStepInProgress();
        StopsWithTheStepInProgress();
        ran = false;
        var givenUp = Search with { StoppedTheProgram = true };
        await Worker().RunAsync(JourneySteps.SearchSource, givenUp.RequestId, givenUp, () => Ran(ref ran));
        Assert.True(ran);
    }

    [Fact]
    public async Task TheFunctionAppsSearchFunction_GoesThroughTheGuard()
    {
        await using var functionApp = await FunctionAppServer.StartAsync();
        for (var worker = 1; worker <= 3; worker++)
        {
            StopsWithTheStepInProgress();
        }

        var functions = ActivatorUtilities.CreateInstance<RequestOrchestrationFunctions>(functionApp.Services, Worker());

        await Assert.ThrowsAsync<StepStoppedTheProgramException>(() => functions.SearchSource(Search, CancellationToken.None));
    }

    [Fact]
    public async Task TheFunctionAppsPurgeBatchFunction_GoesThroughTheGuard()
    {
        await using var functionApp = await FunctionAppServer.StartAsync();
        var batch = new PurgeBatch("pr_0123456789abcdef", "crm", "contact.email", 1);
        for (var worker = 1; worker <= 3; worker++)
        {
            _ = Worker().RunAsync(PurgeBatchActivity.Name, batch.RunId, batch, () => new TaskCompletionSource<PurgeBatchResult>().Task);
        }

        var functions = ActivatorUtilities.CreateInstance<PurgeOrchestrationFunctions>(functionApp.Services, Worker());

        await Assert.ThrowsAsync<StepStoppedTheProgramException>(() => functions.PurgeBatch(batch, CancellationToken.None));
        Assert.Contains(_logs.Lines, l => l.Contains("[3452]", StringComparison.Ordinal) && l.Contains(batch.RunId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheFunctionAppsTakeInFunction_GoesThroughTheGuard()
    {
        await using var functionApp = await FunctionAppServer.StartAsync();
        const string Submission = "dr_0123456789abcdef0123abcd";
        for (var worker = 1; worker <= 3; worker++)
        {
            _ = Worker().RunAsync(TakeInActivity.Name, Submission, Submission, () => new TaskCompletionSource<string>().Task);
        }

        var functions = ActivatorUtilities.CreateInstance<SubmissionFunctions>(functionApp.Services, Worker());

        await Assert.ThrowsAsync<StepStoppedTheProgramException>(() => functions.TakeIn(Submission, functionApp.Durable, CancellationToken.None));
    }

    [Fact]
    public async Task NotesThatCannotBeReached_LeaveTheStepToRun_AndSaySo()
    {
        // The store's address answers nothing: the guard must not stop the work it guards.
        var unreachable = new AzureTableStore(
            AzureTableConnection.ForAzurite(DataRights.Testing.LoopbackPorts.Free(), "Unreachable") with { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(5) });
        var worker = new ActivityStepGuard(new AzureTableStepNotes(unreachable, "hub", stopsAllowed: 3), new Logger<ActivityStepGuard>(new LoggerFactory([_logs])));
        var ran = false;

        await worker.RunAsync(JourneySteps.SearchSource, Search.RequestId, Search, () => Ran(ref ran));

        Assert.True(ran);
        Assert.Single(_logs.Lines, l => l.Contains("[3460]", StringComparison.Ordinal) && l.Contains(JourneySteps.SearchSource, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AStepInProgressOnThreeOtherInstancesWorkers_IsGivenUpByThisOne()
    {
        // The Function App's activities keep their notes in the store every instance shares: three workers on other
        // instances stopped with the search in progress, and the fourth, on this instance, fails it without running it.
        await using var functionApp = await FunctionAppServer.StartAsync();
        var search = Search with { RequestId = NewRequestId() };
        for (var instance = 1; instance <= 3; instance++)
        {
            await StartsAndStopsAsync(new ActivityStepGuard(OtherInstance(functionApp), new Logger<ActivityStepGuard>(new LoggerFactory([_logs]))), search);
        }

        var functions = ActivatorUtilities.CreateInstance<RequestOrchestrationFunctions>(functionApp.Services);

        var failure = await Assert.ThrowsAsync<StepStoppedTheProgramException>(() => functions.SearchSource(search, CancellationToken.None));
        Assert.Contains("each of the 3 times", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWorkerStoppedInOrder_LetsGoOfTheStepsItCutOff()
    {
        // A step in progress as its worker stops in order (the Functions host's drain) is not counted as one that stopped it.
        var functionApp = await FunctionAppServer.StartAsync();
        var next = OtherInstance(functionApp);
        var search = Search with { RequestId = NewRequestId() };
        var step = JourneySteps.SearchSource + "\n" + System.Text.Json.JsonSerializer.Serialize(search);
        await StartsAndStopsAsync(functionApp.Services.GetRequiredService<ActivityStepGuard>(), search);

        await functionApp.DisposeAsync();

        // Taken again by the next worker, the step counts no stop.
        Assert.Equal(0, await next.TakeAsync(step, CancellationToken.None));
        await next.FinishedAsync(step, CancellationToken.None);
    }

    /// <summary>The notes of a worker on another instance of the Function App: the same store and task hub, a run of its own.</summary>
    private static AzureTableStepNotes OtherInstance(FunctionAppServer functionApp) =>
        new(functionApp.Services.GetRequiredService<AzureTableStore>(), functionApp.Services.GetRequiredService<IOptions<DurableOptions>>().Value.HubName, stopsAllowed: 3);

    /// <summary>The worker takes the search, which never finishes, as if it stopped with it in progress.</summary>
    private static async Task StartsAndStopsAsync(ActivityStepGuard worker, SourceStepRun search)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = worker.RunAsync(JourneySteps.SearchSource, search.RequestId, search, () =>
        {
            started.SetResult();
            return new TaskCompletionSource<WorkOutcome>().Task;
        });
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static string NewRequestId() => "dr_" + Guid.NewGuid().ToString("N")[..24];

    /// <summary>A worker takes the search and stops before finishing it.</summary>
    private void StopsWithTheStepInProgress() =>
        _ = Worker().RunAsync(JourneySteps.SearchSource, Search.RequestId, Search, () => new TaskCompletionSource<WorkOutcome>().Task);

    private ActivityStepGuard Worker() =>
        new(new StepNotes(_folder, stopsAllowed: 3, _logs.CreateLogger("notes")), new Logger<ActivityStepGuard>(new LoggerFactory([_logs])));

    private static Task<WorkOutcome> Ran(ref bool ran)
    {
        ran = true;
        return Task.FromResult(new WorkOutcome(WorkResult.Done, null, Settled: false, At: DateTimeOffset.UnixEpoch));
    }
}
