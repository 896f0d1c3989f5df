using System.Collections.Concurrent;
using System.Threading.Channels;
using DurableTask.Core;

namespace DataRights.Integration.Tests.Durable;

/// <summary>
/// A stand-in for the local task hub's storage backend: a queue of activity messages, dequeues that wait for a message
/// (and, while <see cref="Answering"/> is false, for <see cref="Answer"/>), its activity limit checked on every lock; and
/// orchestration episodes the test writes in.
/// </summary>
internal sealed class QueueBackend(int maxActivities) : IOrchestrationService
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

    /// <summary>The message each lock hands out (by its count, from 1); an empty one unless a test says otherwise.</summary>
    public Func<int, TaskMessage> Message { get; init; } = _ => new TaskMessage();

    /// <summary>Each message completed, with its response.</summary>
    public ConcurrentQueue<(string Id, TaskMessage Response)> Completed { get; } = new();

    /// <summary>What completing a message throws (the storage unreachable), if anything.</summary>
    public Exception? CompleteThrows { get; init; }

    public int MostLockedAtOnce => Volatile.Read(ref _mostLocked);

    public bool Stopped { get; private set; }

    /// <summary>How many times the backend was asked to stop.</summary>
    public int Stops => Volatile.Read(ref _stops);

    /// <summary>What each stop throws (a backend that trips over its own shutdown), if anything.</summary>
    public Exception? StopThrows { get; init; }

    private int _stops;

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

        var n = Interlocked.Increment(ref _next);
        var id = "m" + n;
        Locked.Writer.TryWrite(id);
        return new TaskActivityWorkItem { Id = id, TaskMessage = Message(n), LockedUntilUtc = TimeProvider.System.GetUtcNow().UtcDateTime + LockFor };
    }

    public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        if (CompleteThrows is { } thrown)
        {
            return Task.FromException(thrown);
        }

        Completed.Enqueue((workItem.Id, responseMessage));
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

    public async Task StopAsync(bool isForced)
    {
        Interlocked.Increment(ref _stops);
        await Task.Yield();
        Stopped = true;
        if (StopThrows is { } thrown)
        {
            throw thrown;
        }
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

    /// <summary>Orchestration episodes waiting to be handed out, one at a time.</summary>
    public Channel<TaskOrchestrationWorkItem> Episodes { get; } = Channel.CreateUnbounded<TaskOrchestrationWorkItem>();

    public async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        try
        {
            return await Episodes.Reader.ReadAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return null!;
        }
    }

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => throw new NotSupportedException();

    /// <summary>Each episode abandoned (<c>episode-1 abandoned</c>) or released (<c>episode-1 released</c>), in order.</summary>
    public ConcurrentQueue<string> EpisodesLetGo { get; } = [];

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        EpisodesLetGo.Enqueue(workItem.InstanceId + " abandoned");
        return Task.CompletedTask;
    }

    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        EpisodesLetGo.Enqueue(workItem.InstanceId + " released");
        return Task.CompletedTask;
    }
}
