using System.Collections.Concurrent;
using DurableTask.Core;

namespace DataRights.Host.Durable;

/// <summary>
/// The outermost layer of the local task hub's backend as its gRPC sidecar sees it, which lets a stopping host drain
/// (<see cref="DrainAsync"/>). It counts the work items handed out and not yet finished (an activity until it is completed
/// or given back, an orchestration episode until it is released). Draining, it first hands out no more activities and
/// waits for those in hand, while orchestrations still run, so their results are taken in by their orchestrations rather
/// than left in a message this host read from the queue and would hold until its visibility timeout; once neither an
/// episode was handed out nor an activity finished for <paramref name="quietPeriod"/> (the backend reads its queue at
/// least that often), it hands out no more episodes and waits for those in hand. A fetch already waiting on the backend
/// when a hold begins may still bring something back: that is given back to the backend at once (abandoned, so it is
/// visible again within seconds), not handed out while the host stops. Everything else passes through.
/// </summary>
public sealed class DrainSignalOrchestrationService(IOrchestrationService inner, TimeSpan quietPeriod, TimeProvider time, ILogger logger) : DelegatingOrchestrationService(inner)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private readonly ConcurrentDictionary<object, byte> _inHand = new(ReferenceEqualityComparer.Instance);
    private volatile bool _holdActivities;
    private volatile bool _holdOrchestrations;
    private long _lastMovedTicks;

    /// <summary>Work items handed out and not yet finished.</summary>
    public int InHand => _inHand.Count;

    /// <summary>
    /// Hands out no more work, first activities then orchestration episodes (above), within <paramref name="limit"/>: the
    /// episodes are held once everything is quiet, or once three quarters of it have passed. True when nothing was left
    /// in hand; false when the limit passed first (the holds stay on).
    /// </summary>
    public async Task<bool> DrainAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        bool Before(double share) => time.GetElapsedTime(started) < limit * share;
        bool Quiet() => _inHand.IsEmpty && time.GetUtcNow().UtcTicks - Interlocked.Read(ref _lastMovedTicks) >= quietPeriod.Ticks;

        _holdActivities = true;
        while (!Quiet() && Before(0.75))
        {
            await Task.Delay(Poll, time, cancellationToken);
        }

        _holdOrchestrations = true;
        while (!_inHand.IsEmpty && Before(1))
        {
            await Task.Delay(Poll, time, cancellationToken);
        }

        return _inHand.IsEmpty;
    }

    public override async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        await HoldAsync(_holdOrchestrations, cancellationToken);
        var workItem = await Inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);
        if (workItem is not null && _holdOrchestrations)
        {
            // As the dispatcher gives back an episode it could not run: its messages abandoned, then its session released.
            await GiveBackAsync(async () =>
            {
                try
                {
                    await Inner.AbandonTaskOrchestrationWorkItemAsync(workItem);
                }
                finally
                {
                    await Inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);
                }
            });
            await HoldAsync(held: true, cancellationToken);
        }

        if (workItem is not null)
        {
            Moved();
        }

        return Took(workItem);
    }

    public override async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        await HoldAsync(_holdActivities, cancellationToken);
        var workItem = await Inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);
        if (workItem is not null && _holdActivities)
        {
            await GiveBackAsync(() => Inner.AbandonTaskActivityWorkItemAsync(workItem));
            await HoldAsync(held: true, cancellationToken);
        }

        return Took(workItem);
    }

    // Given back, never thrown: at worst the item comes back to the backend's queue once its visibility timeout passes.
    private async Task GiveBackAsync(Func<Task> giveBack)
    {
        try
        {
            await giveBack();
        }
        catch (Exception ex)
        {
            logger.LocalTaskHubGiveBackFailed(ex.GetType().Name);
        }
    }

    public override Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) =>
        FinishingAsync(() => Inner.ReleaseTaskOrchestrationWorkItemAsync(workItem), workItem);

    public override Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage) =>
        FinishingAsync(() => Inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage), workItem);

    public override Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) =>
        FinishingAsync(() => Inner.AbandonTaskActivityWorkItemAsync(workItem), workItem);

    // The backend's call, then the item counted out whether the call succeeded or threw (it is no longer in hand).
    private async Task FinishingAsync(Func<Task> call, object workItem)
    {
        try
        {
            await call();
        }
        finally
        {
            Finished(workItem);
        }
    }

    // Held: the dispatcher's fetch waits until it is stopped, and what it would have fetched stays in storage.
    private static async Task HoldAsync(bool held, CancellationToken cancellationToken)
    {
        if (held)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }
    }

    private T Took<T>(T? workItem)
        where T : class
    {
        if (workItem is not null)
        {
            _inHand.TryAdd(workItem, 0);
        }

        return workItem!;
    }

    private void Finished(object workItem)
    {
        if (_inHand.TryRemove(workItem, out _) && workItem is TaskActivityWorkItem)
        {
            // Its result is on its way to its orchestration's control queue: quiet is counted from here too.
            Moved();
        }
    }

    private void Moved() => Interlocked.Exchange(ref _lastMovedTicks, time.GetUtcNow().UtcTicks);
}
