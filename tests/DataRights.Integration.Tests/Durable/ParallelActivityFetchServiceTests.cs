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
    public async Task StopAsync_AskedTwiceSideBySide_StopsTheBackendOnce_AndNeverThrows()
    {
        // The sidecar's host stops the backend (from an async void, where a throw would end the process) while the local
        // task hub stops it too; the backend trips over its own shutdown.
        var backend = new QueueBackend(maxActivities: 100) { StopThrows = new ObjectDisposedException("AppLeaseManager") };
        var service = Service(backend, fetchers: 20);
        var first = service.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, CancellationToken.None);
        await backend.Dequeues.Reader.ReadAsync().AsTask().WaitAsync(Wait);

        await Task.WhenAll(service.StopAsync(), service.StopAsync(isForced: true)).WaitAsync(Wait);
        await service.StopAsync(isForced: true).WaitAsync(Wait);

        Assert.Equal(1, backend.Stops);
        Assert.True(backend.Stopped);
        Assert.Null(await first.WaitAsync(Wait));
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
}
