using DataRights.Host.Durable;
using DataRights.Host.Workflow;
using DataRights.Integration.Tests.FunctionApp;
using DataRights.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DataRights.Integration.Tests.Durable;

/// <summary>
/// How a commit is announced to its request's orchestration, by the instance's status, through the flow's Durable client;
/// and that an announcement that cannot be made throws, so the decision is not committed (nothing is left for later).
/// </summary>
public sealed class DurableCommitAnnouncerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);
    private static readonly string Instance = RequestOrchestrator.InstanceId("dr_1");

    [Fact]
    public async Task NoInstance_IsStartedToReadTheCommit()
    {
        var client = new RecordingDurableClient();

        await AnnounceAsync(client);

        var started = Assert.Single(client.Started);
        Assert.Equal(Instance, started.InstanceId);
        Assert.Equal(4, Assert.IsType<RequestRun>(started.Input).CommitVersion);
        Assert.Empty(client.Raised);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InstanceStartedByAnotherCaller_AfterTheLookup_IsToldByEvent_NotStartedTwice(bool runEnded)
    {
        var client = new RecordingDurableClient();

        // Another decision on the same request started its orchestration between this one's look-up and its start.
        client.BeforeStart = () => client.Instances.TryAdd(Instance, Status(OrchestrationRuntimeStatus.Running, createdSecondsAgo: 0));

        await AnnounceAsync(client, runEnded: runEnded);

        Assert.Empty(client.Started);
        var raised = Assert.Single(client.Raised);
        Assert.Equal("approved", raised.EventName);
        Assert.Equal(4, Assert.IsType<HandedOverWork>(raised.Payload).CommitVersion);
    }

    [Fact]
    public async Task NewRequest_WhoseOrchestrationAnotherCallerStarted_IsToldByEvent_NotStartedTwice()
    {
        var client = new RecordingDurableClient();
        client.BeforeStart = () => client.Instances.TryAdd(Instance, Status(OrchestrationRuntimeStatus.Running, createdSecondsAgo: 0));

        using (DurableClientScope.Use(client))
        {
            await Announcer(new DurableOptions(), Now).AnnounceNewAsync("dr_1", 1, CancellationToken.None);
        }

        Assert.Empty(client.Started);
        Assert.Equal(1, Assert.IsType<HandedOverWork>(Assert.Single(client.Raised).Payload).CommitVersion);
    }

    [Fact]
    public async Task EndedInstance_IsStartedAgain_TheTaskHubAllowingIt()
    {
        var client = new RecordingDurableClient();
        client.Instances[Instance] = Status(OrchestrationRuntimeStatus.Completed, createdSecondsAgo: 600);

        await AnnounceAsync(client, runEnded: true);

        Assert.Equal(4, Assert.IsType<RequestRun>(Assert.Single(client.Started).Input).CommitVersion);
        Assert.Empty(client.Raised);
    }

    [Fact]
    public async Task RunningInstance_IsToldByOneEventNamedForTheDecision_DatedByTheProgramsClock()
    {
        var client = new RecordingDurableClient();
        client.Instances[Instance] = Status(OrchestrationRuntimeStatus.Running, createdSecondsAgo: 600);

        await AnnounceAsync(client);

        var raised = Assert.Single(client.Raised);
        Assert.Equal("approved", raised.EventName);
        var announced = Assert.IsType<HandedOverWork>(raised.Payload);
        Assert.Empty(announced.Work);
        Assert.Equal(4, announced.CommitVersion);
        Assert.Equal(Now, announced.At); // the program's clock, which the orchestration's timers follow
        Assert.Empty(client.Started);
    }

    [Fact]
    public async Task InstanceJustScheduled_AndStillPending_IsWaitedForUntilItRuns_ThenToldByEvent()
    {
        var client = new RecordingDurableClient();
        client.Instances[Instance] = Status(OrchestrationRuntimeStatus.Pending, createdSecondsAgo: 5);
        var lookups = 0;
        client.BeforeLookup = () =>
        {
            // Its first episode runs between the third and fourth look.
            if (Interlocked.Increment(ref lookups) == 4)
            {
                client.Instances[Instance] = Status(OrchestrationRuntimeStatus.Running, createdSecondsAgo: 5);
            }

            return Task.CompletedTask;
        };

        await AnnounceAsync(client);

        Assert.Equal(4, lookups);
        Assert.Single(client.Raised);
        Assert.Empty(client.Started);
    }

    [Fact]
    public async Task InstanceStillPendingWhenTheWaitIsOver_IsNotTold_AndTheAnnouncementFails()
    {
        var client = new RecordingDurableClient();
        client.Instances[Instance] = Status(OrchestrationRuntimeStatus.Pending, createdSecondsAgo: 5);

        await Assert.ThrowsAsync<OrchestrationUnavailableException>(() => AnnounceAsync(client, new DurableOptions { AnnouncedCommitWait = TimeSpan.FromSeconds(1) }));

        Assert.Empty(client.Raised);
        Assert.Empty(client.Started);
    }

    [Fact]
    public async Task InstancePendingLongerThanAStartTakes_IsToldByEvent_NotWaitedFor()
    {
        var client = new RecordingDurableClient();
        // Two visibility timeouts (30 s each) have passed: a status row left saying Pending.
        client.Instances[Instance] = Status(OrchestrationRuntimeStatus.Pending, createdSecondsAgo: 61);

        await AnnounceAsync(client);

        Assert.Single(client.Raised);
        Assert.Empty(client.Started);
    }

    [Fact]
    public async Task PendingInstance_IsJudgedByTheTaskHubsClock_NotByAProgramClockMonthsBehind()
    {
        var client = new RecordingDurableClient();
        client.Instances[Instance] = Status(OrchestrationRuntimeStatus.Pending, createdSecondsAgo: 61);

        // The program's clock (a test's fake one) a month behind the task hub's, which stamped the instance 61 s ago.
        await AnnounceAsync(client, programNow: Now.AddDays(-30));

        Assert.Single(client.Raised);
    }

    [Fact]
    public async Task TaskHubRefusing_FailsTheAnnouncement_WithItsCause()
    {
        var refusal = new InvalidOperationException("The task hub is unavailable.");
        var client = new RecordingDurableClient { Refusal = refusal };

        var thrown = await Assert.ThrowsAsync<OrchestrationUnavailableException>(() => AnnounceAsync(client));

        Assert.Same(refusal, thrown.InnerException);
        Assert.Empty(client.Started);
    }

    [Fact]
    public async Task NoDurableClientInTheFlow_FailsTheAnnouncement()
    {
        var announcer = Announcer(new DurableOptions(), Now);

        await Assert.ThrowsAsync<OrchestrationUnavailableException>(() => announcer.AnnounceAsync("dr_1", 4, runEnded: false, "approved", CancellationToken.None));
        await Assert.ThrowsAsync<OrchestrationUnavailableException>(() => announcer.AnnounceNewAsync("dr_1", 1, CancellationToken.None));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(3L)]
    public async Task EndedRunStillRunningWhenTheWaitIsOver_IsNotStartedAgain_AndTheAnnouncementFails(long? startedFor)
    {
        var client = new RecordingDurableClient();
        // The run that ended: started before the commit that ended it (a generation that continued as new says no version).
        client.Instances[Instance] = Status(OrchestrationRuntimeStatus.Running, createdSecondsAgo: 600, startedFor);

        await Assert.ThrowsAsync<OrchestrationUnavailableException>(() =>
            AnnounceAsync(client, new DurableOptions { AnnouncedCommitWait = TimeSpan.FromSeconds(1) }, runEnded: true));

        Assert.Empty(client.Started);
        Assert.Empty(client.Raised);
    }

    [Theory]
    [InlineData(4L)]
    [InlineData(5L)]
    public async Task RunEnded_ButANewRunStartedForThisVersionOrALaterOne_IsToldByEvent_NotWaitedFor(long startedFor)
    {
        var client = new RecordingDurableClient();
        // Another decision on the closed request announced first and started its new run.
        client.Instances[Instance] = Status(OrchestrationRuntimeStatus.Running, createdSecondsAgo: 0, startedFor);

        await AnnounceAsync(client, new DurableOptions { AnnouncedCommitWait = TimeSpan.FromSeconds(1) }, runEnded: true);

        Assert.Empty(client.Started);
        var raised = Assert.Single(client.Raised);
        Assert.Equal("approved", raised.EventName);
        Assert.Equal(4, Assert.IsType<HandedOverWork>(raised.Payload).CommitVersion);
    }

    private static async Task AnnounceAsync(RecordingDurableClient client, DurableOptions? options = null, DateTimeOffset? programNow = null, bool runEnded = false)
    {
        using (DurableClientScope.Use(client))
        {
            await Announcer(options ?? new DurableOptions(), programNow ?? Now).AnnounceAsync("dr_1", 4, runEnded, "approved", CancellationToken.None);
        }
    }

    private static DurableCommitAnnouncer Announcer(DurableOptions options, DateTimeOffset programNow) =>
        new(new ServiceCollection().BuildServiceProvider(), Options.Create(new WorkflowOptions()), Options.Create(options), new FakeTimeProvider(programNow), NullLogger<DurableCommitAnnouncer>.Instance)
        {
            HubClock = new FakeTimeProvider(Now),
        };

    private static OrchestrationMetadata Status(OrchestrationRuntimeStatus status, int createdSecondsAgo, long? startedFor = null) =>
        new(RequestOrchestrator.Name, Instance)
        {
            RuntimeStatus = status,
            CreatedAt = Now.AddSeconds(-createdSecondsAgo),
            LastUpdatedAt = Now.AddSeconds(-createdSecondsAgo),
            SerializedInput = JsonDataConverter.Default.Serialize(
                new RequestRun("dr_1", [], new RunSettings(3, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), 100), Now) { CommitVersion = startedFor }),
            DataConverter = JsonDataConverter.Default,
        };
}
