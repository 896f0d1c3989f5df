using DataRights.Core.Ports;
using DataRights.Host.Durable;
using DataRights.Host.Workflow;
using DataRights.Integration.Tests.FunctionApp;
using DataRights.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DataRights.Integration.Tests.Durable;

/// <summary>How the relay announces a request's committed work to its orchestration, by the instance's status.</summary>
public sealed class DurableWorkRelayTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task NoInstance_IsStartedToReadTheCommit()
    {
        var (relay, outbox, client) = Relay();

        var round = await relay.RelayAsync(client, CancellationToken.None);

        Assert.Equal(1, round.HandedOver);
        var started = Assert.Single(client.Started);
        Assert.Equal(RequestOrchestrator.InstanceId("dr_1"), started.InstanceId);
        Assert.Empty(outbox.GivenBack);
    }

    [Fact]
    public async Task InstanceJustScheduled_AndStillPending_GivesTheAnnouncementBackForTheNextRound()
    {
        var (relay, outbox, client) = Relay();
        client.Instances[RequestOrchestrator.InstanceId("dr_1")] = Pending(createdSecondsAgo: 5);

        var round = await relay.RelayAsync(client, CancellationToken.None);

        Assert.True(round.Waiting);
        Assert.Equal(0, round.HandedOver);
        Assert.Empty(client.Raised);
        Assert.Empty(client.Started);
        Assert.Equal([new UntakenAnnouncement("dr_1", 4) { First = true }], outbox.GivenBack);
    }

    [Fact]
    public async Task InstancePendingLongerThanAStartTakes_IsToldByEvent_NotWaitedForForEver()
    {
        var (relay, outbox, client) = Relay();
        // Two visibility timeouts (30 s each) have passed: a status row left saying Pending.
        client.Instances[RequestOrchestrator.InstanceId("dr_1")] = Pending(createdSecondsAgo: 61);

        var round = await relay.RelayAsync(client, CancellationToken.None);

        Assert.False(round.Waiting);
        var raised = Assert.Single(client.Raised);
        Assert.Equal(RequestOrchestrator.WorkEvent, raised.EventName);
        var announced = Assert.IsType<HandedOverWork>(raised.Payload);
        Assert.Empty(announced.Work);
        Assert.Equal(4, announced.CommitVersion);
        Assert.Equal(Now, announced.At); // the program's clock, which the orchestration's timers follow
        Assert.Empty(client.Started);
        Assert.Empty(outbox.GivenBack);
    }

    [Fact]
    public async Task AnnouncementsForSeveralRequests_AreMadeSideBySide()
    {
        var outbox = new OneRoundOutbox([new("dr_1", 2) { First = true }, new("dr_2", 3) { First = true }, new("dr_3", 7)]);
        var relay = new DurableWorkRelay(outbox, Options.Create(new WorkflowOptions()), Options.Create(new DurableOptions()), new FakeTimeProvider(Now), NullLogger<DurableWorkRelay>.Instance)
        {
            HubClock = new FakeTimeProvider(Now),
        };
        var client = new RecordingDurableClient();
        // Each look-up waits until all three are under way: one at a time, the first would wait in vain (and be given back).
        var inFlight = 0;
        var allThere = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.BeforeLookup = () =>
        {
            if (Interlocked.Increment(ref inFlight) == 3)
            {
                allThere.TrySetResult();
            }

            return allThere.Task.WaitAsync(TimeSpan.FromSeconds(10));
        };

        var round = await relay.RelayAsync(client, CancellationToken.None);

        Assert.Equal(3, round.HandedOver);
        Assert.Equal(["dr_1", "dr_2", "dr_3"], client.Started.Select(s => s.InstanceId).Order(StringComparer.Ordinal).Select(RequestOf));
        Assert.Empty(outbox.GivenBack);
    }

    private static string RequestOf(string instanceId) => instanceId[(instanceId.IndexOf("dr_", StringComparison.Ordinal))..];

    private static OrchestrationMetadata Pending(int createdSecondsAgo) =>
        new(RequestOrchestrator.Name, RequestOrchestrator.InstanceId("dr_1"))
        {
            RuntimeStatus = OrchestrationRuntimeStatus.Pending,
            CreatedAt = Now.AddSeconds(-createdSecondsAgo),
            LastUpdatedAt = Now.AddSeconds(-createdSecondsAgo),
        };

    [Fact]
    public async Task PendingInstance_IsJudgedByTheTaskHubsClock_NotByAProgramClockMonthsBehind()
    {
        // The program's clock (a test's fake one) a month behind the task hub's, which stamped the instance 61 s ago.
        var (relay, outbox, client) = Relay(programNow: Now.AddDays(-30));
        client.Instances[RequestOrchestrator.InstanceId("dr_1")] = Pending(createdSecondsAgo: 61);

        var round = await relay.RelayAsync(client, CancellationToken.None);

        Assert.False(round.Waiting);
        Assert.Single(client.Raised);
        Assert.Empty(outbox.GivenBack);
    }

    private static (DurableWorkRelay Relay, OneRoundOutbox Outbox, RecordingDurableClient Client) Relay(DateTimeOffset? programNow = null)
    {
        var outbox = new OneRoundOutbox([new UntakenAnnouncement("dr_1", 4) { First = true }]);
        var relay = new DurableWorkRelay(
            outbox, Options.Create(new WorkflowOptions()), Options.Create(new DurableOptions()), new FakeTimeProvider(programNow ?? Now), NullLogger<DurableWorkRelay>.Instance)
        {
            HubClock = new FakeTimeProvider(Now),
        };
        return (relay, outbox, new RecordingDurableClient());
    }

    /// <summary>An outbox whose first claim returns <paramref name="announcements"/> and later claims nothing; records what was given back.</summary>
    private sealed class OneRoundOutbox(IReadOnlyList<UntakenAnnouncement> announcements) : IWorkOutbox
    {
        private IReadOnlyList<UntakenAnnouncement> _unclaimed = announcements;

        private readonly Lock _gate = new();

        public List<UntakenAnnouncement> GivenBack { get; } = [];

        public Task AnnouncementTakenAsync(string requestId, long version, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IReadOnlyList<UntakenAnnouncement>> ClaimUntakenAnnouncementsAsync(int max, DateTimeOffset now, TimeSpan olderThan, CancellationToken cancellationToken)
        {
            var claimed = _unclaimed;
            _unclaimed = [];
            return Task.FromResult(claimed);
        }

        public Task AnnouncementNotMadeAsync(UntakenAnnouncement announcement, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                GivenBack.Add(announcement);
            }

            return Task.CompletedTask;
        }

        public Task<DeliveryLease> LeaseDeliveredAsync(string requestId, string id, DateTimeOffset now, TimeSpan leaseFor, TimeSpan earlyTolerance, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The relay never leases.");

        public Task<bool> ExtendLeaseAsync(LeasedWorkItem item, DateTimeOffset until, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The relay never leases.");
    }
}
