using System.Threading.Channels;
using DurableTask.Core;

namespace DataRights.Host.Durable;

/// <summary>
/// The local task hub's backend as its gRPC sidecar sees it, with activity messages fetched side by side. The sidecar's
/// activity dispatcher takes one message at a time, and each is a dequeue from storage (tens of milliseconds on
/// Azurite), so the activities an orchestration step schedules together would start one after another. Here one fetch
/// runs at all times, as before, and once an orchestration step has queued n activities, n - 1 more run beside it (at
/// most <paramref name="maxParallelFetches"/> in all); what they fetch waits in a hand-over queue the dispatcher reads.
/// Activities being fetched or fetched and not yet finished never exceed the backend's
/// <see cref="IOrchestrationService.MaxConcurrentTaskActivityWorkItems"/>. The sidecar's dispatcher never renews an
/// activity's lock either, so an activity running past <paramref name="visibilityTimeout"/> would see its message come back
/// and run a second time beside the first: the locks of activities held here are renewed once half of it has passed.
/// Everything else passes through.
/// </summary>
public sealed class ParallelActivityFetchService(
    IOrchestrationService inner,
    int maxParallelFetches,
    TimeSpan visibilityTimeout,
    TimeProvider time,
    ILogger<ParallelActivityFetchService> logger) : DelegatingOrchestrationService(inner)
{
    private readonly SemaphoreSlim _slots = new(inner.MaxConcurrentTaskActivityWorkItems);
    private readonly Channel<TaskActivityWorkItem> _fetched = Channel.CreateUnbounded<TaskActivityWorkItem>();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskActivityWorkItem> _held = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _extrasStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _fetchLoop;
    private Task? _renewLoop;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _started;
    private int _extraFetches;
    private int _stopRequested;

    public override async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        // The dispatcher asks only once a worker is connected: fetching starts then, not when the backend starts.
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _fetchLoop = Task.Run(() => FetchLoopAsync(_stopping.Token), CancellationToken.None);
            _renewLoop = Task.Run(() => RenewLoopAsync(_stopping.Token), CancellationToken.None);
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (receiveTimeout != Timeout.InfiniteTimeSpan)
        {
            wait.CancelAfter(receiveTimeout);
        }

        while (true)
        {
            TaskActivityWorkItem item;
            try
            {
                item = await _fetched.Reader.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return null!;
            }
            catch (ChannelClosedException)
            {
                return null!;
            }

            if (await KeepLockedAsync(item))
            {
                return item;
            }
        }
    }

    public override async Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        await Inner.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);

        // The step's activity messages are in the queue now: fetch them together.
        FetchMore(outboundMessages?.Count ?? 0);
    }

    public override async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        try
        {
            await Inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);
        }
        finally
        {
            Release(workItem);
        }
    }

    public override async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        try
        {
            await Inner.AbandonTaskActivityWorkItemAsync(workItem);
        }
        finally
        {
            Release(workItem);
        }
    }

    public override Task StopAsync() => StopAsync(isForced: false);

    /// <summary>
    /// Stops once, however often it is asked: the sidecar stops the backend as its host stops (from an <c>async void</c>,
    /// where a throw would end the process), and the local task hub stops it again for its loops. Two stops side by side
    /// raced inside DurableTask.AzureStorage (its lease manager disposed under the other). Never throws: a backend that
    /// fails as it stops is logged, and what is unfinished stays in storage.
    /// </summary>
    public override async Task StopAsync(bool isForced)
    {
        if (Interlocked.Exchange(ref _stopRequested, 1) == 1)
        {
            await _stopped.Task;
            return;
        }

        try
        {
            await StopOnceAsync(isForced);
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private async Task StopOnceAsync(bool isForced)
    {
        await _stopping.CancelAsync();
        _fetched.Writer.TryComplete();
        if (_fetchLoop is not null)
        {
            await _fetchLoop;
        }

        if (_renewLoop is not null)
        {
            await _renewLoop;
        }

        if (Volatile.Read(ref _extraFetches) > 0)
        {
            await _extrasStopped.Task;
        }

        // Fetched but never handed out: back to the queue now rather than after the visibility timeout.
        while (_fetched.Reader.TryRead(out var item))
        {
            await LetGoAsync(item);
        }

        try
        {
            await Inner.StopAsync(isForced);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A backend that never started (no worker connected) or that trips over its own shutdown.
            logger.LocalTaskHubStopFailed(ex.GetType().Name);
        }
    }

    private void FetchMore(int scheduled)
    {
        if (Volatile.Read(ref _started) == 0 || _stopping.IsCancellationRequested)
        {
            return;
        }

        // The loop's fetch takes one of them; an extra fetch that finds nothing waits for the next message.
        for (var i = 1; i < scheduled; i++)
        {
            if (Interlocked.Increment(ref _extraFetches) > maxParallelFetches - 1)
            {
                ExtraFetchEnded();
                return;
            }

            _ = Task.Run(ExtraFetchAsync, CancellationToken.None);
        }
    }

    private async Task ExtraFetchAsync()
    {
        try
        {
            await FetchOneAsync(_stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception ex)
        {
            // The loop's fetch still runs, so what this one missed is fetched there.
            logger.ActivityFetchFailed(ex.GetType().Name);
        }
        finally
        {
            ExtraFetchEnded();
        }
    }

    private void ExtraFetchEnded()
    {
        if (Interlocked.Decrement(ref _extraFetches) == 0 && _stopping.IsCancellationRequested)
        {
            _extrasStopped.TrySetResult();
        }
    }

    private async Task FetchLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (!await FetchOneAsync(stopping))
                {
                    // The backend is stopping (or refused a message it already holds): nothing to fetch for now.
                    await Task.Delay(TimeSpan.FromSeconds(1), time, stopping);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.ActivityFetchFailed(ex.GetType().Name);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(Math.Max(1, Inner.GetDelayInSecondsAfterOnFetchException(ex))), time, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One fetch, under one of the backend's activity slots; false when the backend gave nothing.</summary>
    private async Task<bool> FetchOneAsync(CancellationToken stopping)
    {
        await _slots.WaitAsync(stopping);
        TaskActivityWorkItem? item;
        try
        {
            item = await Inner.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, stopping);
        }
        catch
        {
            _slots.Release();
            throw;
        }

        if (item is null || !_held.TryAdd(item.Id, item))
        {
            _slots.Release();
            return false;
        }

        if (!_fetched.Writer.TryWrite(item))
        {
            // Stopped while this fetch ran.
            await LetGoAsync(item);
        }

        return true;
    }

    /// <summary>Renews, a few times per visibility timeout, the lock of every activity held here whose lock is half gone.</summary>
    private async Task RenewLoopAsync(CancellationToken stopping)
    {
        using var ticks = new PeriodicTimer(visibilityTimeout / 4, time);
        try
        {
            while (await ticks.WaitForNextTickAsync(stopping))
            {
                foreach (var item in _held.Values)
                {
                    if (item.LockedUntilUtc - time.GetUtcNow().UtcDateTime > visibilityTimeout / 2)
                    {
                        continue;
                    }

                    try
                    {
                        await Inner.RenewTaskActivityWorkItemLockAsync(item);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // Finished meanwhile, or storage refused: at worst the message comes back and the activity (idempotent) runs again.
                        logger.ActivityLockRenewalFailed(ex.GetType().Name);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>
    /// A message that waited in the hand-over queue (while no worker was connected) gets its lock renewed before it is
    /// handed out, so it does not reappear to another fetch while it runs; one whose lock cannot be renewed is let go.
    /// </summary>
    private async Task<bool> KeepLockedAsync(TaskActivityWorkItem item)
    {
        if (item.LockedUntilUtc - time.GetUtcNow().UtcDateTime > visibilityTimeout / 2)
        {
            return true;
        }

        try
        {
            await Inner.RenewTaskActivityWorkItemLockAsync(item);
            return true;
        }
        catch (Exception ex)
        {
            logger.ActivityLockRenewalFailed(ex.GetType().Name);
            await LetGoAsync(item);
            return false;
        }
    }

    private async Task LetGoAsync(TaskActivityWorkItem item)
    {
        try
        {
            await AbandonTaskActivityWorkItemAsync(item);
        }
        catch (Exception ex)
        {
            // It comes back once its visibility timeout has passed.
            logger.ActivityFetchFailed(ex.GetType().Name);
        }
    }

    private void Release(TaskActivityWorkItem workItem)
    {
        if (_held.TryRemove(workItem.Id, out _))
        {
            _slots.Release();
        }
    }
}
