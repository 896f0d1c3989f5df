using System.Threading.Channels;
using DataRights.Core.Ports;
using DataRights.Core.Workflow;
using DataRights.Host.Durable;
using DataRights.Host.Workflow;
using DataRights.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.Durable;

/// <summary>
/// The store lease a Durable step holds on its work item (<see cref="DurableOptions.StepLease"/>): short, so a step whose
/// process died is taken over soon after its message comes back, and renewed while the handler runs, so a long step keeps
/// its item. Each run of <see cref="RunWorkItemActivity"/> has a clock of its own (a dead process's clock stands still).
/// </summary>
public sealed class StepLeaseTests
{
    private const string HeldKind = "test-held";
    private static readonly TimeSpan StepLease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task CarryOut_StepWhoseProcessDied_IsTakenOverOnceTheStepLeasePasses_NotTheWorkflowLease()
    {
        var handler = new HeldHandler();
        using var factory = Factory(handler);
        var (itemId, step) = await HeldItemAsync(factory);
        var t0 = factory.Clock.GetUtcNow();
        var outbox = new WatchedOutbox(factory.Services.GetRequiredService<IWorkOutbox>());
        var deadClock = new StepClock(t0);
        var dead = Activity(factory, outbox, deadClock).CarryOutAsync(step, CancellationToken.None);
        await handler.Started.Reader.ReadAsync().AsTask().WaitAsync(Wait);

        var before = await Activity(factory, outbox, new StepClock(t0 + StepLease - TimeSpan.FromSeconds(1))).CarryOutAsync(step, CancellationToken.None);
        var after = await Activity(factory, outbox, new StepClock(t0 + StepLease)).CarryOutAsync(step, CancellationToken.None);

        Assert.Equal(WorkResult.NotNow, before.Result);
        Assert.Equal(WorkResult.Done, after.Result);
        Assert.Equal(2, handler.Runs);
        Assert.True(StepLease < factory.Services.GetRequiredService<IOptions<WorkflowOptions>>().Value.LeaseDuration);
        Assert.Equal(DeliveryOutcome.AlreadyFinished, (await outbox.LeaseDeliveredAsync(step.RequestId, itemId, t0 + StepLease, StepLease, TimeSpan.Zero, CancellationToken.None)).Outcome);

        // The first run's renewal, should it wake, finds its lease gone, says so, and the run finishes without undoing
        // anything; its completion is refused, so it does not call the step finished but asks to be run again at once,
        // and that run finds the item finished without running its handler a third time.
        await deadClock.TimerScheduled.WaitAsync(Wait);
        deadClock.Advance(StepLease / 3);
        Assert.False(await outbox.Extensions.Reader.ReadAsync().AsTask().WaitAsync(Wait));
        handler.Release();
        var deadOutcome = await dead.WaitAsync(Wait);
        Assert.Equal(WorkResult.NotNow, deadOutcome.Result);
        Assert.Equal(deadOutcome.At, deadOutcome.RetryAt);
        Assert.Contains(factory.Logs.Lines, l => l.Contains($"Work item {itemId} ({HeldKind}) lost its step lease", StringComparison.Ordinal));
        Assert.Contains(factory.Logs.Lines, l => l.Contains($"Work item {itemId} ({HeldKind}) ran on attempt 1 but its step lease was gone", StringComparison.Ordinal));
        Assert.Equal(WorkResult.Done, (await Activity(factory, outbox, new StepClock(t0 + StepLease)).CarryOutAsync(step, CancellationToken.None)).Result);
        Assert.Equal(2, handler.Runs);
        Assert.Equal(DeliveryOutcome.AlreadyFinished, (await outbox.LeaseDeliveredAsync(step.RequestId, itemId, t0 + StepLease, StepLease, TimeSpan.Zero, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task CarryOut_StepRunningLongerThanTheStepLease_KeepsItsItem_AndARepeatedDeliveryDoesNotRunItAgain()
    {
        var handler = new HeldHandler();
        using var factory = Factory(handler);
        var (itemId, step) = await HeldItemAsync(factory);
        var t0 = factory.Clock.GetUtcNow();
        var outbox = new WatchedOutbox(factory.Services.GetRequiredService<IWorkOutbox>());
        var clock = new StepClock(t0);
        var running = Activity(factory, outbox, clock).CarryOutAsync(step, CancellationToken.None);
        await handler.Started.Reader.ReadAsync().AsTask().WaitAsync(Wait);

        // Four renewals, a third of the lease apart: the lease now ends 40 s + 30 s after the start.
        for (var i = 0; i < 4; i++)
        {
            await clock.TimerScheduled.WaitAsync(Wait);
            clock.Advance(StepLease / 3);
            Assert.True(await outbox.Extensions.Reader.ReadAsync().AsTask().WaitAsync(Wait));
        }

        var repeat = await Activity(factory, outbox, new StepClock(t0 + StepLease + StepLease)).CarryOutAsync(step, CancellationToken.None);

        Assert.Equal(WorkResult.NotNow, repeat.Result);
        Assert.Equal(1, handler.Runs);
        handler.Release();
        Assert.Equal(WorkResult.Done, (await running.WaitAsync(Wait)).Result);
        var late = await Activity(factory, outbox, new StepClock(t0 + StepLease + StepLease)).CarryOutAsync(step, CancellationToken.None);
        Assert.Equal(WorkResult.Done, late.Result);
        Assert.Equal(1, handler.Runs);
        Assert.Equal(DeliveryOutcome.AlreadyFinished, (await outbox.LeaseDeliveredAsync(step.RequestId, itemId, t0 + StepLease + StepLease, StepLease, TimeSpan.Zero, CancellationToken.None)).Outcome);
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains("lost its step lease", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CarryOut_FirstRun_HandsBackTheWorkItsDecisionsCommitted_WithoutReadingTheRequestsOtherOpenWork()
    {
        var handler = new DecidingHandler(stallFirstRun: false);
        using var factory = Factory(handler);
        var (_, step) = await HeldItemAsync(factory, DecidingKind);
        var open = await OpenWorkAsync(factory, step.RequestId);
        factory.Clock.Advance(TimeSpan.FromMinutes(10)); // past the interval between verification emails

        var outcome = await Activity(factory, factory.Services.GetRequiredService<IWorkOutbox>(), new StepClock(factory.Clock.GetUtcNow())).CarryOutAsync(step, CancellationToken.None);

        // The resend committed one email; the intake's first verification email, open all along, is not in it: the step
        // did not read the request (the orchestration has it in hand already).
        Assert.Equal(WorkResult.Done, outcome.Result);
        Assert.Equal("awaiting-verification", outcome.RequestStatus);
        Assert.False(outcome.Settled);
        Assert.Equal([$"{step.RequestId}:message:verification:2"], outcome.Open!.Select(w => w.Id));
        Assert.Contains($"{step.RequestId}:message:verification:1", open);
    }

    [Fact]
    public async Task CarryOut_RunAfterOneWhoseProcessDied_ReadsTheRequest_SoTheWorkTheDeadRunCommittedIsHandedBack()
    {
        var handler = new DecidingHandler(stallFirstRun: true);
        using var factory = Factory(handler);
        var (_, step) = await HeldItemAsync(factory, DecidingKind);
        factory.Clock.Advance(TimeSpan.FromMinutes(10)); // past the interval between verification emails
        var t0 = factory.Clock.GetUtcNow();
        var outbox = factory.Services.GetRequiredService<IWorkOutbox>();

        // The first run commits its decision, then its process dies (it never returns).
        var dead = Activity(factory, outbox, new StepClock(t0)).CarryOutAsync(step, CancellationToken.None);
        await handler.Committed.Task.WaitAsync(Wait);
        var taken = await Activity(factory, outbox, new StepClock(t0 + StepLease)).CarryOutAsync(step, CancellationToken.None);

        Assert.Equal(WorkResult.Done, taken.Result);
        Assert.Equal(2, handler.Runs);
        var open = taken.Open!.Select(w => w.Id).ToList();
        Assert.Contains($"{step.RequestId}:message:verification:2", open);
        Assert.Equal(await OpenWorkAsync(factory, step.RequestId), open.Order(StringComparer.Ordinal));
        handler.Release();
        await dead.WaitAsync(Wait);
    }

    [Fact]
    public async Task CarryOut_LastAttemptWhoseCompletionCannotBeWritten_FailsTheStep_AndTheNextRunCompletesIt_NothingGivenUp()
    {
        // The handler did its work on the last attempt, then the store could not take the completion: that is not a
        // failure of the work (giving it up would record the source as failed, and a staff retry would do it again).
        var handler = new HeldHandler();
        handler.Release();
        using var factory = Factory(handler, maxAttempts: 1);
        var (itemId, step) = await HeldItemAsync(factory);
        var t0 = factory.Clock.GetUtcNow();
        var outbox = factory.Services.GetRequiredService<IWorkOutbox>();
        var queue = new CompletionFailsOnce(factory.Services.GetRequiredService<IWorkQueue>());

        await Assert.ThrowsAsync<InvalidOperationException>(() => Activity(factory, outbox, new StepClock(t0), queue).CarryOutAsync(step, CancellationToken.None));
        Assert.Equal(0, queue.DeadLettered);

        var next = await Activity(factory, outbox, new StepClock(t0 + StepLease), queue).CarryOutAsync(step, CancellationToken.None);

        Assert.Equal(WorkResult.Done, next.Result);
        Assert.Equal(2, handler.Runs);
        Assert.Equal(0, queue.DeadLettered);
        Assert.Equal(DeliveryOutcome.AlreadyFinished, (await outbox.LeaseDeliveredAsync(step.RequestId, itemId, t0 + StepLease, StepLease, TimeSpan.Zero, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task CarryOut_ProcessStoppingAfterGivingUpAndBeforeTellingTheRequest_TheNextRunTellsIt_WithoutTheErrorsText()
    {
        var handler = new FailingHandler();
        using var factory = Factory(handler, maxAttempts: 1);
        var (itemId, step) = await HeldItemAsync(factory, FailingKind);
        var t0 = factory.Clock.GetUtcNow();
        var outbox = factory.Services.GetRequiredService<IWorkOutbox>();
        var queue = new StopsAfterDeadLetter(factory.Services.GetRequiredService<IWorkQueue>());

        // The item is given up (dead-lettered), then the process stops before the request is told.
        await Assert.ThrowsAsync<OperationCanceledException>(() => Activity(factory, outbox, new StepClock(t0), queue).CarryOutAsync(step, CancellationToken.None));
        Assert.Empty((await factory.Services.GetRequiredService<IRequestStore>().GetAsync(step.RequestId, CancellationToken.None))!.Progress.Alerts);

        var next = await Activity(factory, outbox, new StepClock(t0 + StepLease)).CarryOutAsync(step, CancellationToken.None);
        var again = await Activity(factory, outbox, new StepClock(t0 + StepLease)).CarryOutAsync(step, CancellationToken.None);

        Assert.Equal((WorkResult.GaveUp, WorkResult.GaveUp), (next.Result, again.Result));
        Assert.Equal(1, handler.Runs);
        var request = (await factory.Services.GetRequiredService<IRequestStore>().GetAsync(step.RequestId, CancellationToken.None))!;
        var alert = Assert.Single(request.Progress.Alerts);
        Assert.Equal((itemId, "InvalidOperationException (after 1 attempt)"), (alert.WorkItemId, alert.Error));
        var trail = await factory.Services.GetRequiredService<IRequestStore>().GetAuditTrailAsync(step.RequestId, CancellationToken.None);
        Assert.Single(trail, e => e.Action == "work.dead_lettered");
        Assert.DoesNotContain(trail, e => e.Details.Contains(FailingHandler.Quoted, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CarryOut_LastAttemptFailingAfterItsLeaseWasTakenOver_GivesNothingUp_AndTheRunThatTookItOverStands()
    {
        var handler = new HeldHandler { FailFirstRun = true };
        using var factory = Factory(handler, maxAttempts: 1);
        var (itemId, step) = await HeldItemAsync(factory);
        var t0 = factory.Clock.GetUtcNow();
        var outbox = factory.Services.GetRequiredService<IWorkOutbox>();
        var stalled = Activity(factory, outbox, new StepClock(t0)).CarryOutAsync(step, CancellationToken.None);
        await handler.Started.Reader.ReadAsync().AsTask().WaitAsync(Wait);

        // Taken over once the step lease passed, and done; then the stalled run's handler fails.
        Assert.Equal(WorkResult.Done, (await Activity(factory, outbox, new StepClock(t0 + StepLease)).CarryOutAsync(step, CancellationToken.None)).Result);
        handler.Release();
        var late = await stalled.WaitAsync(Wait);

        Assert.Equal(WorkResult.NotNow, late.Result);
        Assert.Empty((await factory.Services.GetRequiredService<IRequestStore>().GetAsync(step.RequestId, CancellationToken.None))!.Progress.Alerts);
        Assert.Equal(DeliveryOutcome.AlreadyFinished, (await outbox.LeaseDeliveredAsync(step.RequestId, itemId, t0 + StepLease, StepLease, TimeSpan.Zero, CancellationToken.None)).Outcome);
        Assert.Contains(factory.Logs.Lines, l => l.Contains($"Work item {itemId} ({HeldKind}) failed on attempt 1 but its step lease was gone", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CarryOut_SourceCallWhoseLastAttemptFailsAfterItsItemWasTakenOver_LeavesTheOutcomeToTheRunThatTookItOver(bool execution)
    {
        // A search (or an erasure) set as a work item, as before searches were the orchestration's own steps, stalls past
        // its step lease; another run takes the item over and calls the source again; the stalled call then fails, on
        // what is the last attempt. The failure is not recorded: the run that took the item over is still at work, and
        // its answer is what the request records.
        var stalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = Channel.CreateUnbounded<int>();
        var calls = 0;
        async Task GateAsync(CancellationToken token)
        {
            var call = Interlocked.Increment(ref calls);
            started.Writer.TryWrite(call);
            if (call == 1)
            {
                await stalled.Task.WaitAsync(token);
                throw new TimeoutException("The source did not answer in time.");
            }

            await second.Task.WaitAsync(token);
        }

        var crm = new DataRights.Testing.InMemoryDataSource("crm", "CRM");
        crm.Add("jane.doe@example.com", 2); // the address SubmitAsync submits
        if (execution)
        {
            crm.BeforeExecute = GateAsync;
        }
        else
        {
            crm.BeforeDiscover = GateAsync;
        }

        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?>
        {
            ["DataRights:Durable:StepLease"] = "00:00:30",
            ["DataRights:Workflow:MaxAttempts"] = "1",
        })
        {
            Sources = new DataRights.Testing.InMemorySourceRegistry(crm, new DataRights.Testing.InMemoryDataSource("billing", "Billing")),
            AnnounceOnlyWhenDrained = true,
        };
        using var client = factory.CreateClient();
        var id = await SubmitAsync(client, factory.Services);
        var engine = factory.Services.GetRequiredService<WorkflowEngine>();
        var store = factory.Services.GetRequiredService<IRequestStore>();
        await engine.ApplyAsync(id, new IdentityVerified("staff:test", IdentityVerified.ByStaff, null), CancellationToken.None);
        if (execution)
        {
            foreach (var source in new[] { "crm", "billing" })
            {
                await engine.ApplyAsync(id, new SourceDiscovered("system:discovery", source, 1, new Core.Sources.DiscoveryFindings(2, ["contact.email"], false)), CancellationToken.None);
            }

            Assert.True((await engine.ApplyAsync(id, new ApprovalGranted("staff:test", null), CancellationToken.None))!.Changed);
        }

        StepState StateOf(Core.Requests.DataSubjectRequest request) =>
            execution ? request.Progress.Source("crm")!.Execution : request.Progress.Source("crm")!.Discovery;
        var step = new WorkStep(id, await WriteSourceItemAsync(store, id, execution ? WorkItem.Execute : WorkItem.Discover, "crm"));
        var outbox = factory.Services.GetRequiredService<IWorkOutbox>();
        var t0 = factory.Clock.GetUtcNow();
        var first = Activity(factory, outbox, new StepClock(t0)).CarryOutAsync(step, CancellationToken.None);
        Assert.Equal(1, await started.Reader.ReadAsync().AsTask().WaitAsync(Wait));
        var takenOver = Activity(factory, outbox, new StepClock(t0 + StepLease)).CarryOutAsync(step, CancellationToken.None);
        Assert.Equal(2, await started.Reader.ReadAsync().AsTask().WaitAsync(Wait));

        stalled.TrySetResult();
        var late = await first.WaitAsync(Wait);

        Assert.Equal(WorkResult.NotNow, late.Result);
        var meanwhile = (await store.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(StepState.Pending, StateOf(meanwhile));
        Assert.Empty(meanwhile.Progress.Alerts);
        Assert.Contains(factory.Logs.Lines, l => l.Contains($"Work item {step.ItemId} ({(execution ? "execute" : "discover")}) failed on attempt 1 but its step lease was gone", StringComparison.Ordinal));

        second.TrySetResult();
        Assert.Equal(WorkResult.Done, (await takenOver.WaitAsync(Wait)).Result);
        Assert.Equal(StepState.Succeeded, StateOf((await store.GetAsync(id, CancellationToken.None))!));
    }

    [Fact]
    public async Task LastAttemptWhoseSourceAnsweredButWhoseAnswerCannotBeRecorded_FailsTheStep_RatherThanRecordingTheSourceAsFailed()
    {
        // The source answered; the store then refused the commit recording it. That is not the source's failure: the step
        // fails and runs again (its handler is idempotent), and the request does not say the source failed.
        var crm = new DataRights.Testing.InMemoryDataSource("crm", "CRM");
        crm.Add("jane.doe@example.com", 2); // the address SubmitAsync submits
        using var factory = new DataRightsFactory { Sources = new DataRights.Testing.InMemorySourceRegistry(crm), AnnounceOnlyWhenDrained = true };
        using var client = factory.CreateClient();
        var id = await SubmitAsync(client, factory.Services);
        var store = factory.Services.GetRequiredService<IRequestStore>();
        await factory.Services.GetRequiredService<WorkflowEngine>().ApplyAsync(id, new IdentityVerified("staff:test", IdentityVerified.ByStaff, null), CancellationToken.None);
        var refusing = new Workflow.GatedRequestStore(store) { FailCommitOverEntries = 0 };
        refusing.ReleaseFirstRead();
        var handler = ActivatorUtilities.CreateInstance<DiscoverWorkHandler>(factory.Services, ActivatorUtilities.CreateInstance<WorkflowEngine>(factory.Services, refusing));
        var last = new SourceStepAttempt(id, "crm", 1, $"{id}:discover:crm:1", Attempt: 3, IsLastAttempt: true);

        await Assert.ThrowsAsync<InvalidOperationException>(() => handler.RunAsync(last, beforeRecordingFailure: null, CancellationToken.None));

        var request = (await store.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(StepState.Pending, request.Progress.Source("crm")!.Discovery);
        Assert.Equal(1, crm.DiscoverCalls);
    }

    /// <summary>
    /// Writes a search (or carrying out) at <paramref name="source"/> in round 1 as a work item, as a request's commit did
    /// before source steps were its orchestration's own; its id.
    /// </summary>
    private static async Task<string> WriteSourceItemAsync(IRequestStore store, string requestId, string kind, string source)
    {
        var request = (await store.GetAsync(requestId, CancellationToken.None))!;
        var item = new WorkItem($"{requestId}:{kind}:{source}:1", requestId, kind, WorkflowJson.Serialize(new WorkItem.SourcePayload(source, 1)), request.UpdatedAt);
        Assert.True(await store.CommitAsync(request with { Version = request.Version + 1 }, request.Version, [], [item], CancellationToken.None));
        return item.Id;
    }

    private const string DecidingKind = "test-deciding";
    private const string FailingKind = "test-failing";

    private static async Task<List<string>> OpenWorkAsync(DataRightsFactory factory, string requestId) =>
        [.. (await factory.Services.GetRequiredService<IRequestStore>().GetWithOpenWorkAsync(requestId, CancellationToken.None))!.OpenWork.Select(w => w.Id).Order(StringComparer.Ordinal)];

    private static DataRightsFactory Factory(IWorkHandler handler, int? maxAttempts = null) =>
        new(settings: new Dictionary<string, string?>
        {
            ["DataRights:Durable:StepLease"] = "00:00:30",
            ["DataRights:Workflow:MaxAttempts"] = (maxAttempts ?? new WorkflowOptions().MaxAttempts).ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
        {
            // The tests run the step's activity themselves: the request's orchestration must not take the item first
            // (told of the request at once, it would run it at a moment of its own, a race the clean-clone run lost once).
            AnnounceOnlyWhenDrained = true,
            ConfigureServices = services => services.AddSingleton<IWorkHandler>(sp => handler is DecidingHandler deciding ? deciding.With(sp.GetRequiredService<WorkflowEngine>()) : handler),
        };

    /// <summary>A submitted request with one more work item, due now, that <see cref="HeldHandler"/> (or another of <paramref name="kind"/>) runs.</summary>
    private static async Task<(string ItemId, WorkStep Step)> HeldItemAsync(DataRightsFactory factory, string kind = HeldKind)
    {
        using var client = factory.CreateClient();
        var requestId = await SubmitAsync(client, factory.Services);
        var store = factory.Services.GetRequiredService<IRequestStore>();
        var request = (await store.GetAsync(requestId, CancellationToken.None))!;
        var item = new WorkItem($"{requestId}:held:1", requestId, kind, "{}", factory.Clock.GetUtcNow());
        Assert.True(await store.CommitAsync(request with { Version = request.Version + 1 }, request.Version, [], [item], CancellationToken.None));
        return (item.Id, new WorkStep(requestId, item.Id));
    }

    private static RunWorkItemActivity Activity(DataRightsFactory factory, IWorkOutbox outbox, TimeProvider clock, IWorkQueue? queue = null) =>
        new(
            outbox,
            queue ?? factory.Services.GetRequiredService<IWorkQueue>(),
            queue is null
                ? factory.Services.GetRequiredService<WorkItemRunner>()
                : new WorkItemRunner(
                    queue,
                    factory.Services.GetServices<IWorkHandler>(),
                    factory.Services.GetRequiredService<WorkflowEngine>(),
                    clock,
                    factory.Services.GetRequiredService<ILogger<WorkItemRunner>>()),
            factory.Services.GetRequiredService<RequestStanding>(),
            factory.Services.GetRequiredService<IOptions<WorkflowOptions>>(),
            factory.Services.GetRequiredService<IOptions<DurableOptions>>(),
            clock,
            factory.Services.GetRequiredService<ILogger<RunWorkItemActivity>>());

    /// <summary>A handler whose first run waits until the test releases it; later runs return at once.</summary>
    private sealed class HeldHandler : IWorkHandler
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _runs;

        public string Kind => HeldKind;

        public Channel<int> Started { get; } = Channel.CreateUnbounded<int>();

        public int Runs => Volatile.Read(ref _runs);

        public void Release() => _release.TrySetResult();

        /// <summary>The first run, once released, fails.</summary>
        public bool FailFirstRun { get; init; }

        public async Task HandleAsync(LeasedWorkItem item, bool isLastAttempt, CancellationToken cancellationToken)
        {
            var run = Interlocked.Increment(ref _runs);
            Started.Writer.TryWrite(run);
            if (run == 1)
            {
                await _release.Task.WaitAsync(cancellationToken);
                if (FailFirstRun)
                {
                    throw new InvalidOperationException("The source refused the call.");
                }
            }
        }
    }

    /// <summary>A handler that always fails, its message quoting what it was given (as a connector's may).</summary>
    private sealed class FailingHandler : IWorkHandler
    {
        public const string Quoted = "jane.doe@example.com";
        private int _runs;

        public string Kind => FailingKind;

        public int Runs => Volatile.Read(ref _runs);

        public Task HandleAsync(LeasedWorkItem item, bool isLastAttempt, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _runs);
            throw new InvalidOperationException($"duplicate key value violates unique constraint: ({Quoted})");
        }
    }

    /// <summary>The store's work queue, as a process that stops right after it dead-letters an item (before the request is told).</summary>
    private sealed class StopsAfterDeadLetter(IWorkQueue inner) : IWorkQueue
    {
        public Task<bool> CompleteAsync(LeasedWorkItem item, DateTimeOffset now, CancellationToken cancellationToken) => inner.CompleteAsync(item, now, cancellationToken);

        public Task<bool> RetryAsync(LeasedWorkItem item, DateTimeOffset notBefore, string error, CancellationToken cancellationToken) =>
            inner.RetryAsync(item, notBefore, error, cancellationToken);

        public async Task<bool> DeadLetterAsync(LeasedWorkItem item, DateTimeOffset now, string error, CancellationToken cancellationToken)
        {
            Assert.True(await inner.DeadLetterAsync(item, now, error, cancellationToken));
            throw new OperationCanceledException("The process stopped.");
        }

        public Task<IReadOnlyDictionary<string, int>> CountsAsync(string requestId, CancellationToken cancellationToken) =>
            inner.CountsAsync(requestId, cancellationToken);
    }

    /// <summary>
    /// A handler whose first run makes a decision that commits work (the person asks for the verification email again),
    /// then, when told to, waits as a run whose process died would; later runs decide nothing.
    /// </summary>
    private sealed class DecidingHandler(bool stallFirstRun) : IWorkHandler
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private WorkflowEngine? _engine;
        private int _runs;

        public string Kind => DecidingKind;

        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Runs => Volatile.Read(ref _runs);

        public IWorkHandler With(WorkflowEngine engine)
        {
            _engine = engine;
            return this;
        }

        public void Release() => _release.TrySetResult();

        public async Task HandleAsync(LeasedWorkItem item, bool isLastAttempt, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _runs) > 1)
            {
                return;
            }

            var decided = await _engine!.ApplyAsync(item.Item.RequestId, new VerificationResendRequested("person"), cancellationToken);
            Assert.True(decided!.Changed);
            Committed.TrySetResult();
            if (stallFirstRun)
            {
                await _release.Task.WaitAsync(cancellationToken);
            }
        }
    }

    /// <summary>The store's work queue, whose first completion throws (the store unreachable for a moment); it counts dead letters.</summary>
    private sealed class CompletionFailsOnce(IWorkQueue inner) : IWorkQueue
    {
        private int _completions;
        private int _deadLettered;

        public int DeadLettered => Volatile.Read(ref _deadLettered);

        public Task<bool> CompleteAsync(LeasedWorkItem item, DateTimeOffset now, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _completions) == 1
                ? throw new InvalidOperationException("The store cannot be reached.")
                : inner.CompleteAsync(item, now, cancellationToken);

        public Task<bool> RetryAsync(LeasedWorkItem item, DateTimeOffset notBefore, string error, CancellationToken cancellationToken) =>
            inner.RetryAsync(item, notBefore, error, cancellationToken);

        public Task<bool> DeadLetterAsync(LeasedWorkItem item, DateTimeOffset now, string error, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _deadLettered);
            return inner.DeadLetterAsync(item, now, error, cancellationToken);
        }

        public Task<IReadOnlyDictionary<string, int>> CountsAsync(string requestId, CancellationToken cancellationToken) =>
            inner.CountsAsync(requestId, cancellationToken);
    }

    /// <summary>The store's outbox, reporting each lease extension's outcome so the test knows when a renewal has landed.</summary>
    private sealed class WatchedOutbox(IWorkOutbox inner) : IWorkOutbox
    {
        public Channel<bool> Extensions { get; } = Channel.CreateUnbounded<bool>();

        public Task<DeliveryLease> LeaseDeliveredAsync(string requestId, string id, DateTimeOffset now, TimeSpan leaseFor, TimeSpan earlyTolerance, CancellationToken cancellationToken) =>
            inner.LeaseDeliveredAsync(requestId, id, now, leaseFor, earlyTolerance, cancellationToken);

        public async Task<bool> ExtendLeaseAsync(LeasedWorkItem item, DateTimeOffset until, CancellationToken cancellationToken)
        {
            var extended = await inner.ExtendLeaseAsync(item, until, cancellationToken);
            Extensions.Writer.TryWrite(extended);
            return extended;
        }

        public Task<bool> StillHoldsAsync(LeasedWorkItem item, CancellationToken cancellationToken) => inner.StillHoldsAsync(item, cancellationToken);
    }

    /// <summary>
    /// A clock whose timers fire only when the test moves it on (the shared fake clock's timers are real ones, which
    /// other tests rely on). <see cref="TimerScheduled"/> is released each time a timer is set.
    /// </summary>
    private sealed class StepClock(DateTimeOffset start) : TimeProvider
    {
        private readonly Lock _lock = new();
        private readonly List<StepTimer> _timers = [];
        private DateTimeOffset _now = start;

        public SemaphoreSlim TimerScheduled { get; } = new(0);

        public override DateTimeOffset GetUtcNow()
        {
            lock (_lock)
            {
                return _now;
            }
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = new StepTimer(this, callback, state);
            timer.Change(dueTime, period);
            return timer;
        }

        public void Advance(TimeSpan by)
        {
            List<StepTimer> due;
            lock (_lock)
            {
                _now += by;
                due = [.. _timers.Where(t => t.DueAt <= _now)];
                foreach (var timer in due)
                {
                    _timers.Remove(timer);
                }
            }

            foreach (var timer in due)
            {
                timer.Fire();
            }
        }

        private void Schedule(StepTimer timer, TimeSpan dueTime)
        {
            lock (_lock)
            {
                _timers.Remove(timer);
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    return;
                }

                timer.DueAt = _now + dueTime;
                _timers.Add(timer);
            }

            TimerScheduled.Release();
        }

        private void Cancel(StepTimer timer)
        {
            lock (_lock)
            {
                _timers.Remove(timer);
            }
        }

        private sealed class StepTimer(StepClock clock, TimerCallback callback, object? state) : ITimer
        {
            public DateTimeOffset DueAt { get; set; }

            public bool Change(TimeSpan dueTime, TimeSpan period)
            {
                clock.Schedule(this, dueTime);
                return true;
            }

            public void Fire() => callback(state);

            public void Dispose() => clock.Cancel(this);

            public ValueTask DisposeAsync()
            {
                Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }
}
