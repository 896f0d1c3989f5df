using DataRights.Host.Durable;
using DurableTask.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataRights.Integration.Tests.Durable;

/// <summary>
/// How a stopping host drains its local task hub (<see cref="DrainSignalOrchestrationService"/>): no new activities at
/// once, orchestration episodes still handed out until everything has been quiet, then none; the drain ends when nothing
/// handed out is left in hand, or says it did not when its limit passes first. What it stops handing out stays with the
/// backend (in storage). The backend here is a stand-in whose messages and episodes the test puts in.
/// </summary>
public sealed class DrainSignalOrchestrationServiceTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task Drain_HoldsActivitiesFirst_HandsOutEpisodesUntilQuiet_ThenHoldsThemToo_AndEndsWhenNothingIsInHand()
    {
        var backend = new QueueBackend(maxActivities: 10);
        var service = new DrainSignalOrchestrationService(backend, Quiet, TimeProvider.System, NullLogger.Instance);
        backend.Enqueue(1);
        var activity = await service.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, CancellationToken.None).WaitAsync(Wait);
        Assert.Equal(1, service.InHand);

        var drain = service.DrainAsync(Wait, CancellationToken.None);
        using var stopActivities = new CancellationTokenSource();
        backend.Enqueue(1);
        var heldActivity = service.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, stopActivities.Token);

        // An episode (taking in a result) is still handed out while the activity in hand runs.
        await backend.Episodes.Writer.WriteAsync(new TaskOrchestrationWorkItem { InstanceId = "episode-1" });
        var episode = await service.LockNextTaskOrchestrationWorkItemAsync(Timeout.InfiniteTimeSpan, CancellationToken.None).WaitAsync(Wait);
        Assert.Equal("episode-1", episode.InstanceId);
        Assert.False(drain.IsCompleted);

        await service.CompleteTaskActivityWorkItemAsync(activity, new TaskMessage());
        Assert.False(drain.IsCompleted);
        await service.ReleaseTaskOrchestrationWorkItemAsync(episode);
        Assert.True(await drain.WaitAsync(Wait));
        Assert.Equal(0, service.InHand);

        // Drained: neither kind is handed out any more; the dispatcher's fetch waits until it is stopped, and what it
        // would have fetched stays with the backend.
        await backend.Episodes.Writer.WriteAsync(new TaskOrchestrationWorkItem { InstanceId = "episode-2" });
        using var stopEpisodes = new CancellationTokenSource();
        var heldEpisode = service.LockNextTaskOrchestrationWorkItemAsync(Timeout.InfiniteTimeSpan, stopEpisodes.Token);
        await stopEpisodes.CancelAsync();
        await stopActivities.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => heldEpisode);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => heldActivity);
        Assert.Equal(1, backend.Episodes.Reader.Count);
        Assert.Equal(1, backend.Locked.Reader.Count);
    }

    [Fact]
    public async Task Drain_StepStillRunningAtTheLimit_SaysSo_AndHandsOutNothingMore()
    {
        var backend = new QueueBackend(maxActivities: 10);
        var service = new DrainSignalOrchestrationService(backend, Quiet, TimeProvider.System, NullLogger.Instance);
        backend.Enqueue(1);
        var activity = await service.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, CancellationToken.None).WaitAsync(Wait);

        Assert.False(await service.DrainAsync(TimeSpan.FromSeconds(1), CancellationToken.None).WaitAsync(Wait));
        Assert.Equal(1, service.InHand);

        await backend.Episodes.Writer.WriteAsync(new TaskOrchestrationWorkItem { InstanceId = "episode-1" });
        using var stop = new CancellationTokenSource();
        var held = service.LockNextTaskOrchestrationWorkItemAsync(Timeout.InfiniteTimeSpan, stop.Token);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => held);
        Assert.Equal(1, backend.Episodes.Reader.Count);

        // The step that finishes late is still counted out.
        await service.AbandonTaskActivityWorkItemAsync(activity);
        Assert.Equal(0, service.InHand);
    }

    [Fact]
    public async Task FetchesWaitingOnTheBackendAsTheHoldsBegin_GiveBackWhatTheyBring_AndHandOutNothing()
    {
        var backend = new QueueBackend(maxActivities: 10);
        var service = new DrainSignalOrchestrationService(backend, Quiet, TimeProvider.System, NullLogger.Instance);

        // The dispatchers' fetches wait on the backend, as they always do, with nothing there yet.
        using var stop = new CancellationTokenSource();
        var activity = service.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, stop.Token);
        var episode = service.LockNextTaskOrchestrationWorkItemAsync(Timeout.InfiniteTimeSpan, stop.Token);
        Assert.True(await service.DrainAsync(Wait, CancellationToken.None).WaitAsync(Wait));

        // A message and an episode arrive after the drain: each waiting fetch takes one, and gives it back to the backend.
        backend.Enqueue(1);
        await backend.Episodes.Writer.WriteAsync(new TaskOrchestrationWorkItem { InstanceId = "episode-late" });
        using var patience = new CancellationTokenSource(Wait);
        while (backend.Abandoned.IsEmpty || backend.EpisodesLetGo.Count < 2)
        {
            await Task.Delay(20, patience.Token);
        }

        Assert.Equal(["m1"], backend.Abandoned);
        Assert.Equal(["episode-late abandoned", "episode-late released"], backend.EpisodesLetGo);
        Assert.Equal(0, service.InHand);
        Assert.False(activity.IsCompleted);
        Assert.False(episode.IsCompleted);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => activity);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => episode);
    }
}
