using System.Diagnostics;
using DataRights.Host.Workflow;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Durable;

/// <summary>
/// Announces a commit to the request's orchestration through the flow's Durable client (the Function App's binding), or
/// the host's own (the stand-alone host): an event on the running orchestration, or its start (a new one once the last
/// has gone, when its run had ended). The orchestration reads the commit's work from the request (see
/// <see cref="AwaitCommitActivity"/>). An announcement that cannot be made throws
/// <see cref="OrchestrationUnavailableException"/>, and the decision is not committed: no work is left untold.
/// </summary>
public sealed class DurableCommitAnnouncer(
    IServiceProvider services,
    IOptions<WorkflowOptions> workflow,
    IOptions<DurableOptions> options,
    TimeProvider time,
    ILogger<DurableCommitAnnouncer> logger) : ICommitAnnouncer
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(500);

    /// <summary>The statuses of an orchestration that still runs: a start is refused while one has them, allowed once it has ended.</summary>
    private static readonly OrchestrationRuntimeStatus[] Live = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended];

    /// <summary>
    /// The task hub's clock, which stamps an instance's creation time: the machine's, whatever the program's clock says
    /// (a test's fake clock runs apart from it). Not taken from the container, where TimeProvider is the program's clock.
    /// </summary>
    public TimeProvider HubClock { get; init; } = TimeProvider.System;

    /// <summary>How long a new instance may stay Pending before it is taken to be running: two visibility timeouts (its start message comes back after one if the process that took it died).</summary>
    private TimeSpan PendingGrace => options.Value.VisibilityTimeout * 2;

    public Task AnnounceAsync(string requestId, long version, bool runEnded, string decided, CancellationToken cancellationToken) =>
        TellAsync(client => runEnded
            ? StartAfterEndAsync(client, requestId, version, decided, cancellationToken)
            : TellOrStartAsync(client, requestId, version, decided, cancellationToken));

    public Task AnnounceNewAsync(string requestId, long version, CancellationToken cancellationToken) =>
        TellAsync(async client =>
        {
            if (!await TryStartAsync(client, requestId, version, cancellationToken))
            {
                await TellOrStartAsync(client, requestId, version, RequestOrchestrator.WorkEvent, cancellationToken);
            }
        });

    public async Task LandedAsync(string requestId, long version, TimeSpan since, CancellationToken cancellationToken)
    {
        // The orchestration waits AnnouncedCommitWait for the commit from when it reads the announcement (after it was
        // made): a commit that landed within half of that, measured from before the announcement, was read.
        if (since < options.Value.AnnouncedCommitWait / 2)
        {
            return;
        }

        logger.AnnouncedCommitLate((int)since.TotalSeconds);
        try
        {
            // Told again: a running orchestration reads the request once more (a repeat changes nothing), a settled one
            // starts anew. The commit stands whether or not its caller is still there (a browser that gave up cancels
            // the caller's token), so the telling is not cancelled with it: untold, the work would wait unseen.
            await TellAsync(client => TellOrStartAsync(client, requestId, version, RequestOrchestrator.WorkEvent, CancellationToken.None));
        }
        catch (OrchestrationUnavailableException)
        {
            // Logged; the commit stands, and its orchestration reads the request's open work at its next step.
        }
    }

    private async Task TellAsync(Func<DurableTaskClient, Task> tell)
    {
        if ((DurableClientScope.Current ?? services.GetService<DurableTaskClient>()) is not { } client)
        {
            // A flow that decides holds a Durable client (every deciding Function App function binds one): a bug.
            logger.CommitNotAnnounced(nameof(DurableClientScope));
            throw new OrchestrationUnavailableException("No Durable client in this flow to tell the request's orchestration; nothing was saved.");
        }

        try
        {
            await tell(client);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OrchestrationUnavailableException)
        {
            logger.CommitNotAnnounced(ex.GetType().Name);
            throw new OrchestrationUnavailableException("The task hub refused to tell the request's orchestration; nothing was saved.", ex);
        }
    }

    /// <summary>
    /// Raises the announcement as an event on the request's running orchestration, or starts it when none runs. One only
    /// just started (Pending) is waited for until it runs, as the backend drops events for an instance it has not started;
    /// one Pending for longer than a start takes is most likely running with a status row that still says Pending (an
    /// idle orchestration writes none until it next does something), and is told by event.
    /// </summary>
    private async Task TellOrStartAsync(DurableTaskClient client, string requestId, long version, string decided, CancellationToken cancellationToken)
    {
        var instanceId = RequestOrchestrator.InstanceId(requestId);
        var waited = Stopwatch.StartNew();
        var pause = FirstPause;
        while (true)
        {
            var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
            switch (instance?.RuntimeStatus)
            {
                case OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended:
                    // One event for the commit: a fan-out of twenty sources is one message, not twenty.
                    await client.RaiseEventAsync(instanceId, decided, Announcement(version), cancellationToken);
                    return;

                // Judged by the clock that stamped the instance's creation (HubClock), not the program's.
                case OrchestrationRuntimeStatus.Pending when instance.CreatedAt > HubClock.GetUtcNow() - PendingGrace:
                    if (waited.Elapsed >= options.Value.AnnouncedCommitWait)
                    {
                        throw new OrchestrationUnavailableException("The request's orchestration did not start in time; nothing was saved.");
                    }

                    await Task.Delay(pause, cancellationToken);
                    pause = TimeSpan.FromTicks(Math.Min(LongestPause.Ticks, pause.Ticks * 2));
                    continue;

                case OrchestrationRuntimeStatus.Pending:
                    logger.AnnouncedToPendingInstance();
                    await client.RaiseEventAsync(instanceId, decided, Announcement(version), cancellationToken);
                    return;
            }

            // Not running (never started, or settled earlier): start it, under the request's own instance id. When another
            // caller started it since the look-up, that one is told, as a running one would be.
            if (await TryStartAsync(client, requestId, version, cancellationToken))
            {
                return;
            }
        }
    }

    /// <summary>
    /// Starts a new orchestration for a request whose run had ended (the store marked it: the request was closed with
    /// nothing left), once the one that ended has gone: an event raised on it while it completes would be dropped. A live
    /// one started for this commit's version or a later one is not the run that ended but a new one, started by another
    /// decision on the request that announced before this one (two staff acting at once), and is told as a running one is.
    /// </summary>
    private async Task StartAfterEndAsync(DurableTaskClient client, string requestId, long version, string decided, CancellationToken cancellationToken)
    {
        var instanceId = RequestOrchestrator.InstanceId(requestId);
        var waited = Stopwatch.StartNew();
        var pause = FirstPause;
        while (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken) is
            { RuntimeStatus: OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended } live)
        {
            // The run that ended was started before the commit that ended it, so for an earlier version than this one.
            if (live.SerializedInput is not null && live.ReadInputAs<RequestRun>()?.CommitVersion >= version)
            {
                await TellOrStartAsync(client, requestId, version, decided, cancellationToken);
                return;
            }

            // It ends within a step of marking its run ended: its completion is on its way.
            if (waited.Elapsed >= options.Value.AnnouncedCommitWait)
            {
                logger.EndedRunStillRunning((int)waited.Elapsed.TotalSeconds);
                throw new OrchestrationUnavailableException("The request's last orchestration had not finished; nothing was saved.");
            }

            await Task.Delay(pause, cancellationToken);
            pause = TimeSpan.FromTicks(Math.Min(LongestPause.Ticks, pause.Ticks * 2));
        }

        if (!await TryStartAsync(client, requestId, version, cancellationToken))
        {
            await TellOrStartAsync(client, requestId, version, decided, cancellationToken);
        }
    }

    private HandedOverWork Announcement(long version) => new([], time.GetUtcNow(), version);

    /// <summary>
    /// Starts the request's orchestration; false when the task hub refused because one with its instance id is pending,
    /// running or suspended (another caller started it since this one looked): one request, one live orchestration.
    /// </summary>
    private async Task<bool> TryStartAsync(DurableTaskClient client, string requestId, long version, CancellationToken cancellationToken)
    {
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                RequestOrchestrator.Name,
                new RequestRun(requestId, [], new RunSettings(workflow.Value.MaxAttempts, workflow.Value.RetryBaseDelay, workflow.Value.RetryMaxDelay, options.Value.NotNowRetry, options.Value.StepsPerGeneration), time.GetUtcNow())
                {
                    CommitVersion = version,
                },
                new StartOrchestrationOptions(RequestOrchestrator.InstanceId(requestId)).WithDedupeStatuses(Live),
                cancellationToken);
            return true;
        }
        catch (OrchestrationAlreadyExistsException)
        {
            logger.OrchestrationStartRaced();
            return false;
        }
    }
}
