using DataRights.Core.Ports;
using DataRights.Host.Durable;
using DataRights.Host.Workflow;
using DataRights.Integration.Tests.FunctionApp;
using DataRights.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DataRights.Integration.Tests.Durable;

/// <summary>How the relay hands a request's committed work to its orchestration, by the instance's status.</summary>
public sealed class DurableWorkRelayTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task NoInstance_IsStartedWithTheWork_AndTheItemsMarkedSent()
    {
        var (relay, outbox, client) = Relay();

        var round = await relay.RelayAsync(client, CancellationToken.None);

        Assert.Equal(2, round.HandedOver);
        var started = Assert.Single(client.Started);
        Assert.Equal(RequestOrchestrator.InstanceId("dr_1"), started.InstanceId);
        Assert.Equal(["dr_1:a", "dr_1:b"], outbox.Sent);
    }

    [Fact]
    public async Task InstanceJustScheduled_AndStillPending_KeepsTheWorkForTheNextSweep()
    {
        var (relay, outbox, client) = Relay();
        client.Instances[RequestOrchestrator.InstanceId("dr_1")] = Pending(createdSecondsAgo: 5);

        var round = await relay.RelayAsync(client, CancellationToken.None);

        Assert.True(round.Waiting);
        Assert.Empty(client.Raised);
        Assert.Empty(client.Started);
        Assert.Empty(outbox.Sent);
        Assert.Equal(["dr_1:a", "dr_1:b"], outbox.Released);
    }

    [Fact]
    public async Task InstancePendingLongerThanAStartTakes_IsHandedTheWorkByEvent_NotWaitedForForEver()
    {
        var (relay, outbox, client) = Relay();
        // Two visibility timeouts (30 s each) have passed: a status row left saying Pending.
        client.Instances[RequestOrchestrator.InstanceId("dr_1")] = Pending(createdSecondsAgo: 61);

        var round = await relay.RelayAsync(client, CancellationToken.None);

        Assert.False(round.Waiting);
        var raised = Assert.Single(client.Raised);
        Assert.Equal(RequestOrchestrator.WorkEvent, raised.EventName);
        var handedOver = Assert.IsType<HandedOverWork>(raised.Payload);
        Assert.Equal(["dr_1:a", "dr_1:b"], handedOver.Work.Select(w => w.Id));
        Assert.Equal(Now, handedOver.At); // the program's clock, which the orchestration's timers follow
        Assert.Empty(client.Started);
        Assert.Equal(["dr_1:a", "dr_1:b"], outbox.Sent);
    }

    [Fact]
    public async Task WorkForSeveralRequests_IsHandedToTheirOrchestrationsSideBySide()
    {
        var outbox = new OneRoundOutbox(
        [
            new OutboxItem(new WorkItem("dr_1:a", "dr_1", WorkItem.Discover, "{}", Now), 0, "c1"),
            new OutboxItem(new WorkItem("dr_2:a", "dr_2", WorkItem.Discover, "{}", Now), 0, "c2"),
            new OutboxItem(new WorkItem("dr_3:a", "dr_3", WorkItem.Discover, "{}", Now), 0, "c3"),
        ]);
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
        Assert.Empty(outbox.Released);
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
        Assert.Equal(["dr_1:a", "dr_1:b"], outbox.Sent);
    }

    private static (DurableWorkRelay Relay, OneRoundOutbox Outbox, RecordingDurableClient Client) Relay(DateTimeOffset? programNow = null)
    {
        var outbox = new OneRoundOutbox(
        [
            new OutboxItem(new WorkItem("dr_1:a", "dr_1", WorkItem.Discover, "{}", Now), 0, "c1"),
            new OutboxItem(new WorkItem("dr_1:b", "dr_1", WorkItem.Discover, "{}", Now), 0, "c2"),
        ]);
        var relay = new DurableWorkRelay(
            outbox, Options.Create(new WorkflowOptions()), Options.Create(new DurableOptions()), new FakeTimeProvider(programNow ?? Now), NullLogger<DurableWorkRelay>.Instance)
        {
            HubClock = new FakeTimeProvider(Now),
        };
        return (relay, outbox, new RecordingDurableClient());
    }

    /// <summary>An outbox whose first claim returns <paramref name="items"/> and later claims nothing; records what was sent or given back.</summary>
    private sealed class OneRoundOutbox(IReadOnlyList<OutboxItem> items) : IWorkOutbox
    {
        private IReadOnlyList<OutboxItem> _unclaimed = items;

        private readonly Lock _gate = new();

        public List<string> Sent { get; } = [];

        public List<string> Released { get; } = [];

        public Task<IReadOnlyList<OutboxItem>> ClaimUnsentAsync(int max, DateTimeOffset now, TimeSpan claimFor, TimeSpan resendAfter, CancellationToken cancellationToken)
        {
            var claimed = _unclaimed;
            _unclaimed = [];
            return Task.FromResult(claimed);
        }

        public Task<bool> MarkSentAsync(OutboxItem item, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                Sent.Add(item.Item.Id);
            }

            return Task.FromResult(true);
        }

        public Task<bool> ReleaseAsync(OutboxItem item, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                Released.Add(item.Item.Id);
            }

            return Task.FromResult(true);
        }

        public Task AnnouncementTakenAsync(string requestId, long version, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IReadOnlyList<UntakenAnnouncement>> ClaimUntakenAnnouncementsAsync(int max, DateTimeOffset now, TimeSpan olderThan, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<UntakenAnnouncement>>([]);

        public Task AnnouncementNotMadeAsync(UntakenAnnouncement announcement, CancellationToken cancellationToken) =>
            throw new NotSupportedException("This outbox claims no announcement.");

        public Task<DeliveryLease> LeaseDeliveredAsync(string requestId, string id, DateTimeOffset now, TimeSpan leaseFor, TimeSpan earlyTolerance, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The relay never leases.");

        public Task<bool> ExtendLeaseAsync(LeasedWorkItem item, DateTimeOffset until, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The relay never leases.");
    }
}
