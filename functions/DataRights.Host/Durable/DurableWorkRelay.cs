using DataRights.Core.Ports;
using DataRights.Host.Workflow;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Durable;

/// <summary>
/// Tells the request orchestrations of committed work they have not been told of. A decision commits its work items in
/// the same transaction as the request's state, with an intent beside it, so nothing a decision asks for is lost between
/// the commit and the orchestration. A commit no orchestration could be told of before it was made (no Durable client in
/// the flow, or the task hub refused) is announced by the relay once it has landed: an event on the running
/// orchestration, or its start; the orchestration reads the work from the request (see <see cref="AwaitCommitActivity"/>).
/// It runs right after each such commit (woken by <see cref="WorkSignal"/>) and sweeps every
/// <see cref="DurableOptions.RelayPollInterval"/> for what a crash left behind: announced commits whose work was not taken
/// <see cref="DurableOptions.ResendAfter"/> after, and the queue's items stored by the version before (unsent ones, and
/// sent ones still not done that long after they were due: the orchestration then takes a repeat as a no-op).
/// </summary>
public sealed class DurableWorkRelay(
    IWorkOutbox outbox,
    IOptions<WorkflowOptions> workflow,
    IOptions<DurableOptions> durable,
    TimeProvider time,
    ILogger<DurableWorkRelay> logger)
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    /// <summary>
    /// The task hub's clock, which stamps an instance's creation time: the machine's, whatever the program's clock says
    /// (a test's fake clock runs apart from it). Not taken from the container, where TimeProvider is the program's clock.
    /// </summary>
    public TimeProvider HubClock { get; init; } = TimeProvider.System;

    /// <summary>How long a new instance may stay Pending before it is taken to be running: two visibility timeouts (its start message comes back after one if the process that took it died).</summary>
    private TimeSpan PendingGrace => durable.Value.VisibilityTimeout * 2;

    /// <summary>Relays until nothing is left to hand over, or an orchestration cannot take its work yet (it is starting).</summary>
    public async Task<RelayRound> RelayAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            var o = durable.Value;
            var sent = 0;
            var waiting = false;
            while (true)
            {
                var claimed = await outbox.ClaimUnsentAsync(o.RelayBatchSize, time.GetUtcNow(), o.RelayClaimDuration, o.ResendAfter, cancellationToken);

                // Requests are handed over side by side (each hand-over is a few calls to the task hub, so one at a time
                // would bound every request's progress by the relay's round trips); one request's items stay together.
                await Parallel.ForEachAsync(
                    claimed.GroupBy(c => c.Item.RequestId, StringComparer.Ordinal),
                    new ParallelOptions { MaxDegreeOfParallelism = o.RelayConcurrency, CancellationToken = cancellationToken },
                    async (forRequest, token) =>
                    {
                        var items = forRequest.ToList();
                        bool handedOver;
                        try
                        {
                            handedOver = await HandOverAsync(client, forRequest.Key, items, token);
                        }
                        catch (Exception ex) when (ex is not OperationCanceledException)
                        {
                            // The task hub refused (storage down): give the items back for the next sweep.
                            await Task.WhenAll(items.Select(item => outbox.ReleaseAsync(item, token)));
                            logger.DurableRelayHeld(items.Count, ex.GetType().Name);
                            return;
                        }

                        if (handedOver)
                        {
                            await Task.WhenAll(items.Select(item => outbox.MarkSentAsync(item, token)));
                            Interlocked.Add(ref sent, items.Count);
                        }
                        else
                        {
                            await Task.WhenAll(items.Select(item => outbox.ReleaseAsync(item, token)));
                            Volatile.Write(ref waiting, true);
                        }
                    });

                if (claimed.Count < o.RelayBatchSize || waiting)
                {
                    var announced = await AnnounceAsync(client, cancellationToken);
                    return new RelayRound(sent + announced.Made, waiting || announced.Waiting);
                }
            }
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>
    /// Makes the announcements that are the relay's: of commits no orchestration could be told of before they were made
    /// (at once), and again of those whose work their orchestration has not taken <see cref="DurableOptions.ResendAfter"/>
    /// after the announcement (it ended just as the announcement reached it, which drops the event). The orchestration,
    /// running or started anew, reads the request's open work; a repeat of one it did take changes nothing. One that
    /// cannot be made yet (its orchestration is only just starting, or the task hub refused) is given back for the next round.
    /// </summary>
    private async Task<(int Made, bool Waiting)> AnnounceAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var o = durable.Value;
        var made = 0;
        var again = 0;
        var waiting = false;
        while (true)
        {
            var untaken = await outbox.ClaimUntakenAnnouncementsAsync(o.RelayBatchSize, time.GetUtcNow(), o.ResendAfter, cancellationToken);
            await Parallel.ForEachAsync(
                untaken,
                new ParallelOptions { MaxDegreeOfParallelism = o.RelayConcurrency, CancellationToken = cancellationToken },
                async (announcement, token) =>
                {
                    try
                    {
                        if (!await HandOverAsync(client, announcement.RequestId, [], announcement.Version, token))
                        {
                            // Its orchestration is only just starting: made at the next round, shortly.
                            await outbox.AnnouncementNotMadeAsync(announcement, token);
                            Volatile.Write(ref waiting, true);
                            return;
                        }
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // The task hub (or the store) refused: made at the next sweep, or ResendAfter from now if it cannot be given back.
                        logger.DurableRelayHeld(1, ex.GetType().Name);
                        await GiveBackAsync(announcement, token);
                        return;
                    }

                    Interlocked.Increment(ref made);
                    if (!announcement.First)
                    {
                        Interlocked.Increment(ref again);
                    }
                });

            if (untaken.Count < o.RelayBatchSize || waiting)
            {
                break;
            }
        }

        if (again > 0)
        {
            logger.DurableAnnouncedAgain(again);
        }

        return (made, waiting);
    }

    private async Task GiveBackAsync(UntakenAnnouncement announcement, CancellationToken cancellationToken)
    {
        try
        {
            await outbox.AnnouncementNotMadeAsync(announcement, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.DurableRelayFailed(ex.GetType().Name);
        }
    }

    /// <summary>
    /// Relays right after an invocation that may have committed work (the Function App's deciding HTTP functions,
    /// which hold a Durable client only while they run), so the next step need not wait for the relay timer. A failure
    /// is logged and left to that timer's sweep; it never fails the invocation, whose work is already committed.
    /// </summary>
    public async Task RelayAfterAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        try
        {
            await RelayAsync(client, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.DurableRelayFailed(ex.GetType().Name);
        }
    }

    /// <summary>Hands <paramref name="items"/> to the request's orchestration; false when it cannot take them yet (they are given back).</summary>
    private Task<bool> HandOverAsync(DurableTaskClient client, string requestId, List<OutboxItem> items, CancellationToken cancellationToken) =>
        HandOverAsync(client, requestId, [.. items.Select(i => new DeliveredWork(i.Item.Id, i.Item.Kind, i.Item.NotBefore))], null, cancellationToken);

    /// <summary>
    /// Hands <paramref name="work"/>, or the announcement of a commit to come (<paramref name="commitVersion"/>), to the
    /// request's orchestration: raised as an event on the one running, or starting it; false when it cannot take them
    /// yet (an instance just started, which the backend would drop an event for).
    /// </summary>
    public async Task<bool> HandOverAsync(DurableTaskClient client, string requestId, IReadOnlyList<DeliveredWork> work, long? commitVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(work);
        var instanceId = RequestOrchestrator.InstanceId(requestId);
        var handedOver = new HandedOverWork(work, time.GetUtcNow(), commitVersion);
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        switch (instance?.RuntimeStatus)
        {
            case OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended:
                // One event for the batch: a fan-out of twenty sources is one message, not twenty.
                await client.RaiseEventAsync(instanceId, RequestOrchestrator.WorkEvent, handedOver, cancellationToken);
                return true;
            // Judged by the clock that stamped the instance's creation (HubClock), not the program's.
            case OrchestrationRuntimeStatus.Pending when instance.CreatedAt > HubClock.GetUtcNow() - PendingGrace:
                // Started but not yet running: the backend drops events for an instance it has not started, so the
                // items wait for the next sweep.
                return false;
            case OrchestrationRuntimeStatus.Pending:
                // Pending for longer than a start takes: the instance is most likely running already with a status
                // row that still says Pending (an idle orchestration writes none until it next does something), so
                // waiting for Running could wait for ever. Hand the work over; if the instance really had not
                // started and the event is dropped, the item is handed over again ResendAfter past its due time.
                logger.DurableRelayPendingInstance(work.Count);
                await client.RaiseEventAsync(instanceId, RequestOrchestrator.WorkEvent, handedOver, cancellationToken);
                return true;
        }

        // Not running (never started, or settled earlier): start it with the work, under the request's own instance id.
        await StartAsync(client, requestId, work, handedOver.At, commitVersion, cancellationToken);
        return true;
    }

    /// <summary>
    /// Starts the orchestration of a request about to be written for the first time (no look-up first: its instance cannot
    /// exist yet), to read the request's work once it is stored at <paramref name="version"/>.
    /// </summary>
    public Task StartAsync(DurableTaskClient client, string requestId, long version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return StartAsync(client, requestId, [], time.GetUtcNow(), version, cancellationToken);
    }

    private Task StartAsync(DurableTaskClient client, string requestId, IReadOnlyList<DeliveredWork> work, DateTimeOffset at, long? commitVersion, CancellationToken cancellationToken) =>
        client.ScheduleNewOrchestrationInstanceAsync(
            RequestOrchestrator.Name,
            new RequestRun(requestId, work, new RunSettings(workflow.Value.MaxAttempts, workflow.Value.RetryBaseDelay, workflow.Value.RetryMaxDelay, durable.Value.NotNowRetry, durable.Value.StepsPerGeneration), at)
            {
                CommitVersion = commitVersion,
            },
            new StartOrchestrationOptions(RequestOrchestrator.InstanceId(requestId)),
            cancellationToken);
}
