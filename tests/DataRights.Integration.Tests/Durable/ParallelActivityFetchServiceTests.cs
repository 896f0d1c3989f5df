using System.Collections.Concurrent;
using System.Threading.Channels;
using DataRights.Host.Durable;
using DurableTask.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataRights.Integration.Tests.Durable;

/// <summary>
/// How the local task hub's sidecar gets activity messages (<see cref="ParallelActivityFetchService"/>): the activities an
/// orchestration step schedules together are fetched side by side, never more than the backend's activity limit, and
/// those fetched but not handed out go back to the queue when the hub stops. The backend here is a stand-in for the
/// storage queue whose dequeues answer only when the test lets them.
/// </summary>
public sealed class ParallelActivityFetchServiceTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task LockNextTaskActivityWorkItem_StepScheduledTwentyActivities_FetchesThemSideBySide()
    {
        var backend = new QueueBackend(maxActivities: 100) { Answering = false };
        var service = Service(backend, fetchers: 20);
        var first = service.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, CancellationToken.None);
        await backend.Dequeues.Reader.ReadAsync().AsTask().WaitAsync(Wait);

        await StepAsync(service, backend, activities: 20);

        // The fetch that was already waiting and nineteen more, all before any has answered (one at a time would be one).
        for (var i = 1; i < 20; i++)
        {
            await backend.Dequeues.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        }

        backend.Answer();
        var handedOut = new List<TaskActivityWorkItem> { await first.WaitAsync(Wait) };
        for (var i = 1; i < 20; i++)
        {
            handedOut.Add(await service.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, CancellationToken.None).WaitAsync(Wait));
        }

        Assert.Equal(20, handedOut.Select(w => w.Id).Distinct().Count());
        await service.StopAsync();
    }

    [Fact]
    public async Task LockNextTaskActivityWorkItem_AtTheActivityLimit_HandsOutAnotherOnlyOnceOneFinishes()
    {
        var backend = new QueueBackend(maxActivities: 3);
        var service = Service(backend, fetchers: 20);
        var first = service.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, CancellationToken.None);
        await backend.Dequeues.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        await StepAsync(service, backend, activities: 5);

        var running = new List<TaskActivityWorkItem> { await first.WaitAsync(Wait) };
        running.Add(await service.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, CancellationToken.None).WaitAsync(Wait));
        running.Add(await service.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, CancellationToken.None).WaitAsync(Wait));
        var fourth = service.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, CancellationToken.None);
        await service.CompleteTaskActivityWorkItemAsync(running[0], new TaskMessage());
        running.Add(await fourth.WaitAsync(Wait));

        Assert.Equal(4, running.Select(w => w.Id).Distinct().Count());
        Assert.Equal(3, backend.MostLockedAtOnce);
        await service.StopAsync();
    }

    [Fact]
    public async Task StopAsync_FetchedButNotHandedOut_AreAbandonedBackToTheQueue()
    {
        var backend = new QueueBackend(maxActivities: 100);
        var service = Service(backend, fetchers: 20);
        var first = service.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, CancellationToken.None);
        await backend.Dequeues.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        await StepAsync(service, backend, activities: 3);
        var handedOut = await first.WaitAsync(Wait);
        for (var locked = 0; locked < 3; locked++)
        {
            await backend.Locked.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        }

        await service.StopAsync();

        Assert.Equal(2, backend.Abandoned.Count);
        Assert.DoesNotContain(handedOut.Id, backend.Abandoned);
        Assert.True(backend.Stopped);
    }

    [Fact]
    public async Task ActivityRunningPastHalfTheVisibilityTimeout_KeepsItsLockUntilItCompletes()
    {
        var visibility = TimeSpan.FromMilliseconds(400);
        var backend = new QueueBackend(maxActivities: 100) { LockFor = visibility };
        var service = new ParallelActivityFetchService(backend, 20, visibility, TimeProvider.System, NullLogger<ParallelActivityFetchService>.Instance);
        var first = service.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, CancellationToken.None);
        await StepAsync(service, backend, activities: 1);
        var running = await first.WaitAsync(Wait);

        // The activity runs on: its lock is renewed again and again.
        for (var renewal = 0; renewal < 3; renewal++)
        {
            Assert.Equal(running.Id, await backend.Renewed.Reader.ReadAsync().AsTask().WaitAsync(Wait));
        }

        await service.CompleteTaskActivityWorkItemAsync(running, new TaskMessage());
        await service.StopAsync();

        Assert.True(backend.Stopped);
        Assert.Empty(backend.Abandoned);
    }

    private static ParallelActivityFetchService Service(QueueBackend backend, int fetchers) =>
        new(backend, fetchers, TimeSpan.FromSeconds(30), TimeProvider.System, NullLogger<ParallelActivityFetchService>.Instance);

    /// <summary>An orchestration step that scheduled <paramref name="activities"/> activities: their messages are queued, then the step completes.</summary>
    private static async Task StepAsync(ParallelActivityFetchService service, QueueBackend backend, int activities)
    {
        var outbound = Enumerable.Range(0, activities).Select(_ => new TaskMessage()).ToList();
        backend.Enqueue(activities);
        await service.CompleteTaskOrchestrationWorkItemAsync(new TaskOrchestrationWorkItem(), null!, outbound, [], [], null!, null!);
    }

    /// <summary>
    /// The activity side of a task hub backend: a queue of activity messages, dequeues that wait for a message (and, while
    /// <see cref="Answering"/> is false, for <see cref="Answer"/>), and its activity limit checked on every lock.
    /// </summary>
    private sealed class QueueBackend(int maxActivities) : IOrchestrationService
    {
        private readonly SemaphoreSlim _messages = new(0);
        private readonly TaskCompletionSource _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _next;
        private int _locked;
        private int _mostLocked;

        public bool Answering { get; init; } = true;

        /// <summary>How long a lock holds, from its dequeue or its last renewal.</summary>
        public TimeSpan LockFor { get; init; } = TimeSpan.FromSeconds(30);

        /// <summary>One entry per lock renewed.</summary>
        public Channel<string> Renewed { get; } = Channel.CreateUnbounded<string>();

        /// <summary>One entry per dequeue begun.</summary>
        public Channel<int> Dequeues { get; } = Channel.CreateUnbounded<int>();

        /// <summary>One entry per message locked.</summary>
        public Channel<string> Locked { get; } = Channel.CreateUnbounded<string>();

        public ConcurrentBag<string> Abandoned { get; } = [];

        public int MostLockedAtOnce => Volatile.Read(ref _mostLocked);

        public bool Stopped { get; private set; }

        public int MaxConcurrentTaskActivityWorkItems => maxActivities;

        public void Enqueue(int count) => _messages.Release(count);

        public void Answer() => _answer.TrySetResult();

        public async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
        {
            Dequeues.Writer.TryWrite(0);
            try
            {
                if (!Answering)
                {
                    await _answer.Task.WaitAsync(cancellationToken);
                }

                await _messages.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // As the storage backend does when it stops: no message.
                return null!;
            }

            var locked = Interlocked.Increment(ref _locked);
            int most;
            while (locked > (most = Volatile.Read(ref _mostLocked)) && Interlocked.CompareExchange(ref _mostLocked, locked, most) != most)
            {
            }

            var id = "m" + Interlocked.Increment(ref _next);
            Locked.Writer.TryWrite(id);
            return new TaskActivityWorkItem { Id = id, TaskMessage = new TaskMessage(), LockedUntilUtc = TimeProvider.System.GetUtcNow().UtcDateTime + LockFor };
        }

        public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
        {
            Interlocked.Decrement(ref _locked);
            return Task.CompletedTask;
        }

        public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
        {
            Interlocked.Decrement(ref _locked);
            Abandoned.Add(workItem.Id);
            return Task.CompletedTask;
        }

        public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem)
        {
            workItem.LockedUntilUtc = TimeProvider.System.GetUtcNow().UtcDateTime + LockFor;
            Renewed.Writer.TryWrite(workItem.Id);
            return Task.FromResult(workItem);
        }

        public Task CompleteTaskOrchestrationWorkItemAsync(
            TaskOrchestrationWorkItem workItem,
            OrchestrationRuntimeState newOrchestrationRuntimeState,
            IList<TaskMessage> outboundMessages,
            IList<TaskMessage> orchestratorMessages,
            IList<TaskMessage> timerMessages,
            TaskMessage continuedAsNewMessage,
            OrchestrationState orchestrationState) => Task.CompletedTask;

        public Task StopAsync() => StopAsync(isForced: false);

        public Task StopAsync(bool isForced)
        {
            Stopped = true;
            return Task.CompletedTask;
        }

        public int GetDelayInSecondsAfterOnFetchException(Exception exception) => 1;

        public int TaskActivityDispatcherCount => 1;

        public int TaskOrchestrationDispatcherCount => 1;

        public int MaxConcurrentTaskOrchestrationWorkItems => 100;

        public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => BehaviorOnContinueAsNew.Carryover;

        public Task StartAsync() => Task.CompletedTask;

        public Task CreateAsync() => throw new NotSupportedException();

        public Task CreateAsync(bool recreateInstanceStore) => throw new NotSupportedException();

        public Task CreateIfNotExistsAsync() => throw new NotSupportedException();

        public Task DeleteAsync() => throw new NotSupportedException();

        public Task DeleteAsync(bool deleteInstanceStore) => throw new NotSupportedException();

        public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) => false;

        public int GetDelayInSecondsAfterOnProcessException(Exception exception) => 1;

        public Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => throw new NotSupportedException();

        public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => throw new NotSupportedException();

        public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => throw new NotSupportedException();
    }
}
