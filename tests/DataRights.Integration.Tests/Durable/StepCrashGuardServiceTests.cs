using DataRights.Host.Durable;
using DurableTask.Core;
using DurableTask.Core.History;

namespace DataRights.Integration.Tests.Durable;

/// <summary>
/// A step in progress each time the program stopped is given up rather than run for ever
/// (<see cref="StepCrashGuardService"/>). Each run of the program is a new guard over the same folder of notes, as a
/// restarted host is; a run that "stops" simply never finishes what it took.
/// </summary>
public sealed class StepCrashGuardServiceTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly string _folder = Directory.CreateTempSubdirectory("datarights-step-notes-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task AStepInProgressEachOfThreeTimesTheProgramStopped_IsNotRunAgain_ButFailedForItsOrchestration()
    {
        var logs = new Infrastructure.CapturedLogs();

        // Three runs of the program take the export's step and stop before finishing it.
        for (var run = 1; run <= 3; run++)
        {
            Assert.Equal("PrepareOrDeleteExport", (await TakenByANewRunAsync(logs)).Name);
        }

        // The fourth run is handed the same step, then another: the first is failed, not run, and the second is run.
        var (fourth, again) = Guard(logs, n => n == 1 ? Export() : Email());
        again.Enqueue(2);
        var handedOut = await fourth.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, CancellationToken.None).WaitAsync(Wait);

        Assert.Equal("SendEmail", ((TaskScheduledEvent)handedOut.TaskMessage.Event).Name);
        var (id, response) = Assert.Single(again.Completed);
        Assert.Equal("m1", id);
        var failed = Assert.IsType<TaskFailedEvent>(response.Event);
        Assert.Equal(7, failed.TaskScheduledId);
        Assert.Equal(StepStoppedTheProgramException.ErrorType, failed.FailureDetails?.ErrorType);
        Assert.Equal("request-r1", response.OrchestrationInstance.InstanceId);
        Assert.Contains(logs.Lines, l => l.Contains("[3450]", StringComparison.Ordinal) && l.Contains("request-r1", StringComparison.Ordinal));

        // Given up, its note is gone: asked for again (staff retrying it), it runs afresh.
        var (fifth, later) = Guard(logs, _ => Export());
        later.Enqueue(1);
        Assert.Equal("PrepareOrDeleteExport", ((TaskScheduledEvent)(await fifth.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, CancellationToken.None).WaitAsync(Wait)).TaskMessage.Event).Name);
        Assert.Empty(later.Completed);
    }

    [Fact]
    public async Task AGivenUpStep_WhoseFailureCouldNotBeHandedBack_IsGivenUpAgainAtItsNextDelivery()
    {
        var logs = new Infrastructure.CapturedLogs();
        for (var run = 1; run <= 3; run++)
        {
            await TakenByANewRunAsync(logs);
        }

        // The fourth run fails the step, but the storage refuses the failure: the message comes back later.
        var refused = new QueueBackend(maxActivities: 10) { Message = _ => Export(), CompleteThrows = new InvalidOperationException("The storage cannot be reached.") };
        var fourth = new StepCrashGuardService(refused, Notes(logs), logs.CreateLogger("guard"));
        refused.Enqueue(1);
        await Assert.ThrowsAsync<InvalidOperationException>(() => fourth.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, CancellationToken.None).WaitAsync(Wait));

        // Delivered again to the next run, it is failed again, not run.
        var (fifth, backend) = Guard(logs, n => n == 1 ? Export() : Email());
        backend.Enqueue(2);
        var handedOut = await fifth.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, CancellationToken.None).WaitAsync(Wait);

        Assert.Equal("SendEmail", ((TaskScheduledEvent)handedOut.TaskMessage.Event).Name);
        Assert.IsType<TaskFailedEvent>(Assert.Single(backend.Completed).Response.Event);
    }

    [Fact]
    public async Task AStepThatFinishes_StartsItsCountAgain_AndOneHandedOutTwiceToOneRun_CountsNoStop()
    {
        var logs = new Infrastructure.CapturedLogs();

        // Two runs stop with the step in progress; the third takes it twice (its lock ran out) and finishes it.
        for (var run = 1; run <= 2; run++)
        {
            await TakenByANewRunAsync(logs);
        }

        var (third, backend3) = Guard(logs, _ => Export());
        backend3.Enqueue(2);
        await third.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, CancellationToken.None).WaitAsync(Wait);
        var second = await third.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, CancellationToken.None).WaitAsync(Wait);
        await third.CompleteTaskActivityWorkItemAsync(second, new TaskMessage { Event = new TaskCompletedEvent(-1, 7, "{}") });

        // Three more runs stop with it in progress: the count started again at the finish, so each is handed the step.
        for (var run = 1; run <= 3; run++)
        {
            Assert.Equal("PrepareOrDeleteExport", (await TakenByANewRunAsync(logs)).Name);
        }

        Assert.DoesNotContain(logs.Lines, l => l.Contains("[3450]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AStepPutBack_WhileTheProgramRuns_CountsNoStop()
    {
        var logs = new Infrastructure.CapturedLogs();
        for (var run = 1; run <= 4; run++)
        {
            var (guard, backend) = Guard(logs, _ => Export());
            backend.Enqueue(1);
            var taken = await guard.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, CancellationToken.None).WaitAsync(Wait);
            Assert.IsType<TaskScheduledEvent>(taken.TaskMessage.Event);
            await guard.AbandonTaskActivityWorkItemAsync(taken);
        }

        Assert.Empty(Directory.EnumerateFiles(_folder));
    }

    /// <summary>A new run of the program is handed the export's step (and stops before finishing it): the step it was handed.</summary>
    private async Task<TaskScheduledEvent> TakenByANewRunAsync(Infrastructure.CapturedLogs logs)
    {
        var (guard, backend) = Guard(logs, _ => Export());
        backend.Enqueue(1);
        var taken = await guard.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, CancellationToken.None).WaitAsync(Wait);
        Assert.Empty(backend.Completed);
        return Assert.IsType<TaskScheduledEvent>(taken.TaskMessage.Event);
    }

    private (StepCrashGuardService Guard, QueueBackend Backend) Guard(Infrastructure.CapturedLogs logs, Func<int, TaskMessage> messages)
    {
        var backend = new QueueBackend(maxActivities: 10) { Message = messages };
        return (new StepCrashGuardService(backend, Notes(logs), logs.CreateLogger("guard")), backend);
    }

    /// <summary>A run's notes (a new run of the program each time).</summary>
    private StepNotes Notes(Infrastructure.CapturedLogs logs) => new(_folder, stopsAllowed: 3, logs.CreateLogger("notes"));

    private static TaskMessage Export() => Scheduled(7, "PrepareOrDeleteExport", """{"RequestId":"r1","ItemId":"r1:export:build","Attempt":1}""");

    private static TaskMessage Email() => Scheduled(8, "SendEmail", """{"RequestId":"r1","ItemId":"r1:message:ack","Attempt":1}""");

    private static TaskMessage Scheduled(int eventId, string name, string input) => new()
    {
        Event = new TaskScheduledEvent(eventId) { Name = name, Input = input },
        OrchestrationInstance = new OrchestrationInstance { InstanceId = "request-r1", ExecutionId = "e1" },
    };
}
