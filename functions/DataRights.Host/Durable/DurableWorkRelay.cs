using DataRights.Core.Ports;
using DataRights.Host.Workflow;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Durable;

/// <summary>
/// Tells the request orchestrations of committed work they have not been told of. A decision commits its work items in
/// the same transaction as the request's state, with an intent written before it, so nothing a decision asks for is lost
/// between the commit and the orchestration. A commit no orchestration could be told of before it was made (no Durable
/// client in the flow, or the task hub refused) is announced by the relay once it has landed: an event on the running
/// orchestration, or its start; the orchestration reads the work from the request (see <see cref="AwaitCommitActivity"/>).
/// It runs right after each such commit (woken by <see cref="WorkSignal"/>) and sweeps every
/// <see cref="DurableOptions.RelayPollInterval"/> for what a crash left behind, and for announced commits whose work was
/// not taken <see cref="DurableOptions.ResendAfter"/> after (the orchestration takes a repeat as a no-op).
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

    /// <summary>Makes the announcements that are the relay's to make, until none is left or an orchestration cannot take one yet (it is starting).</summary>
    public async Task<RelayRound> RelayAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            return await AnnounceAsync(client, cancellationToken);
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
    private async Task<RelayRound> AnnounceAsync(DurableTaskClient client, CancellationToken cancellationToken)
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
                    bool told;
                    try
                    {
                        told = await AnnounceAsync(client, announcement.RequestId, announcement.Version, relayed: true, token);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // The task hub refused: made at the next sweep, or ResendAfter from now if it cannot be given back.
                        logger.DurableRelayHeld(ex.GetType().Name);
                        await GiveBackAsync(announcement, token);
                        return;
                    }

                    if (!told)
                    {
                        // Its orchestration is only just starting: made at the next round, shortly.
                        await GiveBackAsync(announcement, token);
                        Volatile.Write(ref waiting, true);
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

        return new RelayRound(made, waiting);
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

    /// <summary>
    /// Announces the commit that gives the request <paramref name="commitVersion"/> to the request's orchestration (it
    /// reads the commit's work from the request once the commit has landed): raised as an event on the one running, or
    /// starting it; false when it cannot take it yet (an instance just started, which the backend would drop an event for).
    /// <paramref name="relayed"/>: the relay's announcement of its intent, which the orchestration removes once taken.
    /// </summary>
    public async Task<bool> AnnounceAsync(DurableTaskClient client, string requestId, long commitVersion, bool relayed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var instanceId = RequestOrchestrator.InstanceId(requestId);
        var handedOver = new HandedOverWork([], time.GetUtcNow(), commitVersion) { Relayed = relayed };
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        switch (instance?.RuntimeStatus)
        {
            case OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended:
                // One event for the commit: a fan-out of twenty sources is one message, not twenty.
                await client.RaiseEventAsync(instanceId, RequestOrchestrator.WorkEvent, handedOver, cancellationToken);
                return true;
            // Judged by the clock that stamped the instance's creation (HubClock), not the program's.
            case OrchestrationRuntimeStatus.Pending when instance.CreatedAt > HubClock.GetUtcNow() - PendingGrace:
                // Started but not yet running: the backend drops events for an instance it has not started, so the
                // announcement waits for the next round.
                return false;
            case OrchestrationRuntimeStatus.Pending:
                // Pending for longer than a start takes: the instance is most likely running already with a status
                // row that still says Pending (an idle orchestration writes none until it next does something), so
                // waiting for Running could wait for ever. Announce; if the instance really had not started and the
                // event is dropped, the announcement is made again ResendAfter later.
                logger.DurableRelayPendingInstance();
                await client.RaiseEventAsync(instanceId, RequestOrchestrator.WorkEvent, handedOver, cancellationToken);
                return true;
        }

        // Not running (never started, or settled earlier): start it, under the request's own instance id.
        await StartAsync(client, requestId, handedOver.At, commitVersion, relayed, cancellationToken);
        return true;
    }

    /// <summary>
    /// Starts a new orchestration for a request whose run had ended (the store marked it: the request was closed with
    /// nothing left), once the one that ended has gone: an event raised on it while it completes would be dropped. False
    /// when it is still running <see cref="DurableOptions.AnnouncedCommitWait"/> later (the work then goes to the relay).
    /// </summary>
    public async Task<bool> StartAfterEndAsync(DurableTaskClient client, string requestId, long commitVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var instanceId = RequestOrchestrator.InstanceId(requestId);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(20);
        while ((await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken))?.RuntimeStatus
            is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended)
        {
            // It ends within a step of marking its run ended: its completion is on its way.
            if (waited.Elapsed >= durable.Value.AnnouncedCommitWait)
            {
                logger.EndedRunStillRunning((int)waited.Elapsed.TotalSeconds);
                return false;
            }

            await Task.Delay(pause, cancellationToken);
            pause = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMilliseconds(500).Ticks, pause.Ticks * 2));
        }

        await StartAsync(client, requestId, time.GetUtcNow(), commitVersion, relayed: false, cancellationToken);
        return true;
    }

    /// <summary>
    /// Starts the orchestration of a request about to be written for the first time (no look-up first: its instance cannot
    /// exist yet), to read the request's work once it is stored at <paramref name="version"/>.
    /// </summary>
    public Task StartAsync(DurableTaskClient client, string requestId, long version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return StartAsync(client, requestId, time.GetUtcNow(), version, relayed: false, cancellationToken);
    }

    private Task StartAsync(DurableTaskClient client, string requestId, DateTimeOffset at, long commitVersion, bool relayed, CancellationToken cancellationToken) =>
        client.ScheduleNewOrchestrationInstanceAsync(
            RequestOrchestrator.Name,
            new RequestRun(requestId, [], new RunSettings(workflow.Value.MaxAttempts, workflow.Value.RetryBaseDelay, workflow.Value.RetryMaxDelay, durable.Value.NotNowRetry, durable.Value.StepsPerGeneration), at)
            {
                CommitVersion = commitVersion,
                Relayed = relayed,
            },
            new StartOrchestrationOptions(RequestOrchestrator.InstanceId(requestId)),
            cancellationToken);
}
