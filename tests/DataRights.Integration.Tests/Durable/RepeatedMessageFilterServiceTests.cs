using DataRights.Host.Durable;
using DurableTask.Core;
using DurableTask.Core.History;

namespace DataRights.Integration.Tests.Durable;

/// <summary>
/// A start or a result the backend delivers again (after its visibility timeout) is left out of the episode
/// (<see cref="RepeatedMessageFilterService"/>), so the orchestration's history still loads: the sidecar adds every new
/// message to it, and a second start breaks it for good.
/// </summary>
public sealed class RepeatedMessageFilterServiceTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AStartDeliveredAgain_AfterItsHistoryWasWritten_IsLeftOut_AndTheHistoryStillLoads()
    {
        var logs = new Infrastructure.CapturedLogs();
        var (service, backend) = Service(logs);
        var history = new OrchestrationRuntimeState([new OrchestratorStartedEvent(-1), Start("request-r1", "e1"), new OrchestratorCompletedEvent(-1)]);
        var raised = new TaskMessage { Event = new EventRaisedEvent(-1, "null") { Name = "verified" }, OrchestrationInstance = new OrchestrationInstance { InstanceId = "request-r1", ExecutionId = "e1" } };
        await backend.Episodes.Writer.WriteAsync(new TaskOrchestrationWorkItem
        {
            InstanceId = "request-r1",
            OrchestrationRuntimeState = history,
            NewMessages = [Message("request-r1", "e1"), raised],
        });

        var episode = await service.LockNextTaskOrchestrationWorkItemAsync(Timeout.InfiniteTimeSpan, CancellationToken.None).WaitAsync(Wait);

        Assert.Equal([raised], episode.NewMessages);
        AddAll(episode);
        Assert.Single(episode.OrchestrationRuntimeState.Events.OfType<ExecutionStartedEvent>());
        Assert.Contains(logs.Lines, l => l.Contains("[3447]", StringComparison.Ordinal) && l.Contains("request-r1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AStartTwiceInOneEpisode_IsTakenOnce_AndANewExecutionsStartPasses()
    {
        var (service, backend) = Service(new Infrastructure.CapturedLogs());

        // Two copies of one start in the same episode (the first still in memory when the second came).
        await backend.Episodes.Writer.WriteAsync(new TaskOrchestrationWorkItem
        {
            InstanceId = "request-r2",
            OrchestrationRuntimeState = new OrchestrationRuntimeState(),
            NewMessages = [Message("request-r2", "e1"), Message("request-r2", "e1")],
        });
        var episode = await service.LockNextTaskOrchestrationWorkItemAsync(Timeout.InfiniteTimeSpan, CancellationToken.None).WaitAsync(Wait);
        Assert.Single(episode.NewMessages);
        AddAll(episode);

        // A new run of an instance whose last run ended: a different execution, so its start passes.
        var ended = new OrchestrationRuntimeState([new OrchestratorStartedEvent(-1), Start("request-r3", "e1"), new ExecutionCompletedEvent(0, "\"completed\"", OrchestrationStatus.Completed)]);
        var again = Message("request-r3", "e2");
        await backend.Episodes.Writer.WriteAsync(new TaskOrchestrationWorkItem { InstanceId = "request-r3", OrchestrationRuntimeState = ended, NewMessages = [again] });
        Assert.Equal([again], (await service.LockNextTaskOrchestrationWorkItemAsync(Timeout.InfiniteTimeSpan, CancellationToken.None).WaitAsync(Wait)).NewMessages);
    }

    [Fact]
    public async Task AResultDeliveredAgain_IsLeftOut_TheNextResultPasses()
    {
        var logs = new Infrastructure.CapturedLogs();
        var (service, backend) = Service(logs);
        var history = new OrchestrationRuntimeState(
        [
            new OrchestratorStartedEvent(-1), Start("request-r4", "e1"), new TaskScheduledEvent(0) { Name = "SearchSource" }, new TaskScheduledEvent(1) { Name = "SearchSource" },
            new TimerCreatedEvent(2), new OrchestratorCompletedEvent(-1),
            new OrchestratorStartedEvent(-1), new TaskCompletedEvent(-1, 0, "{}"), new TimerFiredEvent(-1) { TimerId = 2 }, new OrchestratorCompletedEvent(-1),
        ]);
        var next = Of("request-r4", "e1", new TaskCompletedEvent(-1, 1, "{}"));
        await backend.Episodes.Writer.WriteAsync(new TaskOrchestrationWorkItem
        {
            InstanceId = "request-r4",
            OrchestrationRuntimeState = history,
            NewMessages =
            [
                Of("request-r4", "e1", new TaskCompletedEvent(-1, 0, "{}")),
                Of("request-r4", "e1", new TimerFiredEvent(-1) { TimerId = 2 }),
                next,
                Of("request-r4", "e1", new TaskCompletedEvent(-1, 1, "{}")),
            ],
        });

        var episode = await service.LockNextTaskOrchestrationWorkItemAsync(Timeout.InfiniteTimeSpan, CancellationToken.None).WaitAsync(Wait);

        // The first search's result and the timer were in the history already; the second search's came twice in this episode.
        Assert.Equal([next], episode.NewMessages);
        Assert.Equal(3, logs.Lines.Count(l => l.Contains("[3447]", StringComparison.Ordinal)));
    }

    [Fact]
    public void WithoutTheFilter_ASecondStart_BreaksTheHistory()
    {
        // What the filter prevents: the runtime state refuses a second start, so the history never loads again.
        var history = new OrchestrationRuntimeState([new OrchestratorStartedEvent(-1), Start("request-r1", "e1"), new OrchestratorCompletedEvent(-1)]);

        var failure = Assert.Throws<InvalidOperationException>(() => history.AddEvent(Start("request-r1", "e1")));
        Assert.Contains("Multiple ExecutionStartedEvent", failure.Message, StringComparison.Ordinal);
    }

    private static (RepeatedMessageFilterService Service, QueueBackend Backend) Service(Infrastructure.CapturedLogs logs)
    {
        var backend = new QueueBackend(maxActivities: 10);
        return (new RepeatedMessageFilterService(backend, logs.CreateLogger("filter")), backend);
    }

    // As the sidecar does with an episode's new messages.
    private static void AddAll(TaskOrchestrationWorkItem episode)
    {
        foreach (var message in episode.NewMessages)
        {
            episode.OrchestrationRuntimeState.AddEvent(message.Event);
        }
    }

    private static ExecutionStartedEvent Start(string instanceId, string executionId) =>
        new(-1, "{}") { Name = "RequestOrchestration", OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId, ExecutionId = executionId } };

    private static TaskMessage Of(string instanceId, string executionId, HistoryEvent e) =>
        new() { Event = e, OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId, ExecutionId = executionId } };

    private static TaskMessage Message(string instanceId, string executionId) =>
        new() { Event = Start(instanceId, executionId), OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId, ExecutionId = executionId } };
}
