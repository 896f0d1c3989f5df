using DurableTask.Core;
using DurableTask.Core.Exceptions;
using DurableTask.Core.History;
using DurableTask.Core.Query;
using Microsoft.DurableTask.Testing.Sidecar;

namespace DataRights.Testing.Durable;

/// <summary>
/// The Durable Task test host's in-memory backend (real replay) with two additions, so tests on a fake clock run the
/// request orchestrations: durable timers fire by the program's clock (held until the fake clock reaches them, then
/// fired at once, see <see cref="ReleaseDue"/>), and the hub knows when nothing is left to run (<see cref="WaitIdleAsync"/>):
/// no message waiting, no orchestration episode and no activity under way. It mirrors the in-memory backend's rule
/// for dropped messages (an instance that completed takes only a new start; a message for a previous generation is
/// dropped), so a dropped message is not waited for.
/// </summary>
public sealed class ProgramClockTaskHub(TimeProvider clock) : IOrchestrationService, IOrchestrationServiceClient, IOrchestrationServiceQueryClient
{
    private readonly InMemoryOrchestrationService _inner = new();
    private readonly Lock _gate = new();
    private readonly List<TaskMessage> _timers = [];
    private readonly Dictionary<string, (string? ExecutionId, bool Completed)> _instances = new(StringComparer.OrdinalIgnoreCase);
    private int _pending;
    private int _busy;
    private long _activitiesDone;
    private long _progress;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<object, string> _running = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _abandoned = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// How many times in a row an orchestration's work item may be given back unrun before it is dropped and a wait fails:
    /// the backend cannot run it (its state is broken), and would otherwise take it and give it back for ever, never idle.
    /// </summary>
    public const int MaxAbandonedInARow = 100;

    /// <summary>Activities finished so far (a drain compares it before and after to see whether anything ran).</summary>
    public long ActivitiesDone => Interlocked.Read(ref _activitiesDone);

    /// <summary>Timers waiting for the program's clock.</summary>
    public int TimersHeld
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count;
            }
        }
    }

    /// <summary>Fires every held timer the program's clock has reached.</summary>
    public async Task ReleaseDue()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<TaskMessage> due;
        lock (_gate)
        {
            due = [.. _timers.Where(t => ((TimerFiredEvent)t.Event).FireAt <= now)];
            _timers.RemoveAll(due.Contains);
        }

        foreach (var timer in due)
        {
            // Fired now by the backend's own (real) clock, or it would wait for that clock to reach the program's.
            var fired = (TimerFiredEvent)timer.Event;
            await SendTaskOrchestrationMessageAsync(new TaskMessage
            {
                OrchestrationInstance = timer.OrchestrationInstance,
                Event = new TimerFiredEvent(-1, TimeProvider.System.GetUtcNow().UtcDateTime) { TimerId = fired.TimerId },
            });
        }
    }

    /// <summary>
    /// How long a drain goes on while its hand-over keeps asking to try again and no activity runs before it fails saying so.
    /// </summary>
    public static readonly TimeSpan MaxIdleDrain = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Runs whatever is due at the program's clock until nothing is left; returns how many activities ran. Each round
    /// fires the timers the clock has reached, hands committed work over (<paramref name="handOver"/>: announcements a test
    /// held back; true when it handed something over or must try again), and waits until the hub is idle, until a round
    /// changes nothing.
    /// </summary>
    public async Task<int> DrainAsync(Func<Task<bool>> handOver, TimeSpan idleTimeout)
    {
        ArgumentNullException.ThrowIfNull(handOver);
        var start = ActivitiesDone;
        DateTimeOffset? idleSince = null;
        var idleRounds = 0;
        while (true)
        {
            var before = ActivitiesDone;
            await ReleaseDue();
            var handedOver = await handOver();
            await WaitIdleAsync(idleTimeout);
            if (!handedOver && ActivitiesDone == before)
            {
                return (int)(ActivitiesDone - start);
            }

            if (ActivitiesDone != before)
            {
                (idleSince, idleRounds) = (null, 0);
                continue;
            }

            // The hand-over asked to try again and nothing ran: not in a hot loop, and not for ever.
            idleSince ??= TimeProvider.System.GetUtcNow();
            idleRounds++;
            if (TimeProvider.System.GetUtcNow() - idleSince > MaxIdleDrain)
            {
                throw new TimeoutException(
                    $"The drain went {idleRounds} rounds over {MaxIdleDrain.TotalMinutes} minutes in which the hand-over asked to try again and no activity ran " +
                    $"({ActivitiesDone - start} activities ran before; {TimersHeld} timers held for later).");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Runs whatever is due at the program's clock until nothing is left (every commit's work was announced as it was made).</summary>
    public Task<int> DrainAsync(TimeSpan idleTimeout) => DrainAsync(() => Task.FromResult(false), idleTimeout);

    /// <summary>
    /// Waits until no message is waiting and nothing runs (timers held for later do not count); fails when the hub made
    /// no progress (no work item taken or finished) for <paramref name="stall"/> while still busy.
    /// </summary>
    public async Task WaitIdleAsync(TimeSpan stall)
    {
        var seen = Volatile.Read(ref _progress);
        var until = TimeProvider.System.GetUtcNow() + stall;
        while (Volatile.Read(ref _pending) > 0 || Volatile.Read(ref _busy) > 0)
        {
            ThrowIfBroken();
            if (Volatile.Read(ref _progress) != seen)
            {
                seen = Volatile.Read(ref _progress);
                until = TimeProvider.System.GetUtcNow() + stall;
            }
            else if (TimeProvider.System.GetUtcNow() > until)
            {
                throw new TimeoutException($"The task hub made no progress for {stall.TotalSeconds} s: {_pending} messages waiting, {_busy} work items running ({string.Join(", ", _running.Values)}).");
            }

            await Task.Delay(5);
        }

        ThrowIfBroken();
    }

    private void ThrowIfBroken()
    {
        if (_abandoned.FirstOrDefault(a => a.Value >= MaxAbandonedInARow) is { Key: { } broken, Value: var times })
        {
            throw new InvalidOperationException($"The task hub gave the work of orchestration {broken} back unrun {times} times in a row: the backend cannot run it.");
        }
    }

    // Counts a message the backend will take, by its rule for dropping messages.
    private void Accepting(TaskMessage message)
    {
        var instance = message.OrchestrationInstance.InstanceId;
        lock (_gate)
        {
            if (message.Event is ExecutionStartedEvent)
            {
                _instances[instance] = (message.OrchestrationInstance.ExecutionId, false);
            }
            else if (_instances.TryGetValue(instance, out var known) &&
                     (known.Completed || (message.OrchestrationInstance.ExecutionId is { } execution && known.ExecutionId is not null && known.ExecutionId != execution)))
            {
                return;
            }

            Interlocked.Increment(ref _pending);
        }
    }

    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage) =>
        CreatingAsync(creationMessage, () => _inner.CreateTaskOrchestrationAsync(creationMessage));

    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage, OrchestrationStatus[] dedupeStatuses) =>
        CreatingAsync(creationMessage, () => _inner.CreateTaskOrchestrationAsync(creationMessage, dedupeStatuses));

    // Counts a start as taken, and takes it back when the backend refuses it (an instance of that id in a status the start
    // named): nothing is waited for, and the instance it found keeps its place.
    private async Task CreatingAsync(TaskMessage creationMessage, Func<Task> create)
    {
        var instance = creationMessage.OrchestrationInstance.InstanceId;
        (string? ExecutionId, bool Completed)? before;
        lock (_gate)
        {
            before = _instances.TryGetValue(instance, out var known) ? known : null;
            Accepting(creationMessage);
        }

        try
        {
            await create();
        }
        catch (OrchestrationAlreadyExistsException)
        {
            lock (_gate)
            {
                if (before is { } found)
                {
                    _instances[instance] = found;
                }
                else
                {
                    _instances.Remove(instance);
                }

                Interlocked.Decrement(ref _pending);
            }

            throw;
        }
    }

    public Task SendTaskOrchestrationMessageAsync(TaskMessage message)
    {
        Accepting(message);
        return _inner.SendTaskOrchestrationMessageAsync(message);
    }

    public async Task SendTaskOrchestrationMessageBatchAsync(params TaskMessage[] messages)
    {
        foreach (var message in messages)
        {
            await SendTaskOrchestrationMessageAsync(message);
        }
    }

    public async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        var workItem = await _inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);
        _running[workItem] = "orchestration " + workItem.InstanceId;
        Interlocked.Increment(ref _busy);
        Interlocked.Increment(ref _progress);
        Interlocked.Add(ref _pending, -workItem.NewMessages.Count);
        return workItem;
    }

    public async Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        ArgumentNullException.ThrowIfNull(newOrchestrationRuntimeState);
        ArgumentNullException.ThrowIfNull(outboundMessages);
        ArgumentNullException.ThrowIfNull(orchestratorMessages);
        ArgumentNullException.ThrowIfNull(timerMessages);
        _abandoned.TryRemove(workItem.InstanceId, out _);
        lock (_gate)
        {
            _timers.AddRange(timerMessages);
            var status = newOrchestrationRuntimeState.OrchestrationStatus;
            _instances[newOrchestrationRuntimeState.OrchestrationInstance!.InstanceId] = (
                newOrchestrationRuntimeState.OrchestrationInstance.ExecutionId,
                status is OrchestrationStatus.Completed or OrchestrationStatus.Failed or OrchestrationStatus.Terminated or OrchestrationStatus.Canceled);
        }

        foreach (var message in orchestratorMessages.Append(continuedAsNewMessage).Where(m => m is not null))
        {
            Accepting(message);
        }

        Interlocked.Add(ref _pending, outboundMessages.Count);
        await _inner.CompleteTaskOrchestrationWorkItemAsync(
            workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, [], continuedAsNewMessage, orchestrationState);

        // Timers the clock has already reached fire at once.
        await ReleaseDue();
    }

    public async Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        if (_abandoned.AddOrUpdate(workItem.InstanceId, 1, (_, times) => times + 1) >= MaxAbandonedInARow)
        {
            // It will not run: its messages are not given back, so the backend stops handing it out (for the rest of the
            // test run, even after this hub's test is over), and the next wait fails naming it.
            return;
        }

        foreach (var message in workItem.NewMessages)
        {
            Accepting(message);
        }

        await _inner.AbandonTaskOrchestrationWorkItemAsync(workItem);
    }

    public async Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        await _inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);
        _running.TryRemove(workItem, out _);
        Interlocked.Increment(ref _progress);
        Interlocked.Decrement(ref _busy);
    }

    public async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        var workItem = await _inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);
        _running[workItem] = "activity " + ((TaskScheduledEvent)workItem.TaskMessage.Event).Name + " of " + workItem.TaskMessage.OrchestrationInstance.InstanceId;
        Interlocked.Increment(ref _busy);
        Interlocked.Increment(ref _progress);
        Interlocked.Decrement(ref _pending);
        return workItem;
    }

    public async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        Accepting(responseMessage);
        await _inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);
        _running.TryRemove(workItem, out _);
        Interlocked.Increment(ref _progress);
        Interlocked.Increment(ref _activitiesDone);
        Interlocked.Decrement(ref _busy);
    }

    public async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        Interlocked.Increment(ref _pending);
        await _inner.AbandonTaskActivityWorkItemAsync(workItem);
        _running.TryRemove(workItem, out _);
        Interlocked.Increment(ref _progress);
        Interlocked.Decrement(ref _busy);
    }

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => _inner.RenewTaskActivityWorkItemLockAsync(workItem);

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => _inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    public int TaskOrchestrationDispatcherCount => _inner.TaskOrchestrationDispatcherCount;

    public int MaxConcurrentTaskOrchestrationWorkItems => _inner.MaxConcurrentTaskOrchestrationWorkItems;

    public int TaskActivityDispatcherCount => _inner.TaskActivityDispatcherCount;

    /// <summary>As many activities at once as a fan-out needs (the in-memory backend's own limit is the processor count).</summary>
    public int MaxConcurrentTaskActivityWorkItems => 100;

    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => _inner.EventBehaviourForContinueAsNew;

    public Task StartAsync() => _inner.StartAsync();

    public Task StopAsync() => _inner.StopAsync();

    public Task StopAsync(bool isForced) => _inner.StopAsync(isForced);

    public Task CreateAsync() => _inner.CreateAsync();

    public Task CreateAsync(bool recreateInstanceStore) => _inner.CreateAsync(recreateInstanceStore);

    public Task CreateIfNotExistsAsync() => _inner.CreateIfNotExistsAsync();

    public Task DeleteAsync() => _inner.DeleteAsync();

    public Task DeleteAsync(bool deleteInstanceStore) => _inner.DeleteAsync(deleteInstanceStore);

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) => _inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => _inner.GetDelayInSecondsAfterOnProcessException(exception);

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => _inner.GetDelayInSecondsAfterOnFetchException(exception);

    public Task ForceTerminateTaskOrchestrationAsync(string instanceId, string reason)
    {
        Accepting(new TaskMessage { OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId }, Event = new ExecutionTerminatedEvent(-1, reason) });
        return _inner.ForceTerminateTaskOrchestrationAsync(instanceId, reason);
    }

    public Task<IList<OrchestrationState>> GetOrchestrationStateAsync(string instanceId, bool allExecutions) => _inner.GetOrchestrationStateAsync(instanceId, allExecutions);

    public Task<OrchestrationState> GetOrchestrationStateAsync(string instanceId, string executionId) => _inner.GetOrchestrationStateAsync(instanceId, executionId);

    public Task<string> GetOrchestrationHistoryAsync(string instanceId, string executionId) => _inner.GetOrchestrationHistoryAsync(instanceId, executionId);

    public Task PurgeOrchestrationHistoryAsync(DateTime thresholdDateTimeUtc, OrchestrationStateTimeRangeFilterType timeRangeFilterType) =>
        _inner.PurgeOrchestrationHistoryAsync(thresholdDateTimeUtc, timeRangeFilterType);

    public Task<OrchestrationState> WaitForOrchestrationAsync(string instanceId, string executionId, TimeSpan timeout, CancellationToken cancellationToken) =>
        _inner.WaitForOrchestrationAsync(instanceId, executionId, timeout, cancellationToken);

    public Task<OrchestrationQueryResult> GetOrchestrationWithQueryAsync(OrchestrationQuery query, CancellationToken cancellationToken) =>
        _inner.GetOrchestrationWithQueryAsync(query, cancellationToken);
}
