using System.Globalization;
using DataRights.Core.Email;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using DataRights.Host.Email;
using DataRights.Host.Retention;
using DataRights.Host.Retention.Durable;
using DataRights.Host.Scheduling;
using DataRights.Host.Workflow;
using Microsoft.DurableTask.Client;

namespace DataRights.Host.Durable;

/// <summary>
/// Every hour, makes sure each open request has a workflow carrying it. An open request's orchestration is always live
/// (it ends only once the request is closed with nothing left to do); one that is not (failed on an error, stopped by an
/// operator, or gone from the task hub, say after its history was purged or the hub renamed) would leave the request
/// waiting, its reminders and statutory deadline notices with it. Such a request gets <see cref="WorkflowRestarted"/>:
/// its audit trail records what was found, and the commit starts a new orchestration, which takes on the request's open
/// work. A closed request whose work goes on after the close (the emails after completion, an export's deletion a week
/// later) is looked at the same way, from the store's record of closed requests whose run has not ended. A request whose
/// look-up or restart fails is logged and left to the next hour; the others go on. A workflow restarted before waits
/// longer each time (<see cref="HeldFor"/>), and one that keeps stopping is emailed to staff. The nightly purges' timer
/// runs whose orchestration failed are started again too (<see cref="PurgeOrchestrations.ResumeFailedAsync"/>), and public
/// submissions still kept, not taken in, are taken in (<see cref="SubmissionTakeIns.TakeInLeftOverAsync"/>), as are those
/// left on the submission queue's poison queue (<see cref="SubmissionTakeIns.TakeInPoisonedAsync"/>); and notes of steps
/// in progress no worker took for <see cref="StepNotesKeptFor"/> go (<see cref="IStepNotes.DropUntakenSinceAsync"/>).
/// </summary>
public sealed class WorkflowCheckJob(
    IRequestStore store,
    WorkflowEngine engine,
    MessageComposer composer,
    IEmailSender sender,
    IServiceProvider services,
    TimeProvider time,
    ILogger<WorkflowCheckJob> logger) : IScheduledJob
{
    public const string JobName = "workflow-check";

    /// <summary>Five past every hour, UTC.</summary>
    public const string HourlySchedule = "0 5 * * * *";

    /// <summary>Who the audit trail names for a restart.</summary>
    public const string Actor = "system:workflow-check";

    /// <summary>The audit action a restart records.</summary>
    public const string RestartedAction = "workflow.restarted";

    private const int PageSize = 100;

    /// <summary>Restarts after which a workflow found stopped again is told to staff (see <see cref="AlertStaffAsync"/>).</summary>
    public const int AlertAfterRestarts = 2;

    /// <summary>The longest a request's workflow waits between restarts (see <see cref="HeldFor"/>).</summary>
    private static readonly TimeSpan LongestHold = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a note of a step in progress stays with no worker taking it before the check drops it: a step a stopped
    /// worker held comes back within minutes (the task hub's visibility timeout) unless its orchestration is gone.
    /// </summary>
    public static readonly TimeSpan StepNotesKeptFor = TimeSpan.FromDays(7);

    /// <summary>Orchestrations looked at side by side.</summary>
    public const int LookUpsAtOnce = 8;

    /// <summary>Statuses of an orchestration that still carries its request.</summary>
    private static readonly OrchestrationRuntimeStatus[] Live =
    [
        OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended,
#pragma warning disable CS0618 // Reported by some backends between generations.
        OrchestrationRuntimeStatus.ContinuedAsNew,
#pragma warning restore CS0618
    ];

    public string Name => JobName;

    public string Schedule => HourlySchedule;

    public string TimeZoneId => "UTC";

    public async Task RunAsync(DateTimeOffset scheduledFor, CancellationToken cancellationToken) =>
        await CheckAsync(cancellationToken);

    /// <summary>
    /// Checks every open request, then every closed one whose run has not ended; returns how many were checked and how
    /// many had their workflow started again.
    /// </summary>
    public async Task<(int Checked, int Restarted)> CheckAsync(CancellationToken cancellationToken)
    {
        var client = DurableClientScope.Current ?? services.GetService<DurableTaskClient>()
            ?? throw new InvalidOperationException("No Durable client to look at the requests' orchestrations with.");
        int checkedCount = 0, restarted = 0, failed = 0;
        Task CheckAllAsync(IEnumerable<DataSubjectRequest> requests) => Parallel.ForEachAsync(
            requests,
            new ParallelOptions { MaxDegreeOfParallelism = LookUpsAtOnce, CancellationToken = cancellationToken },
            async (request, token) =>
            {
                Interlocked.Increment(ref checkedCount);
                try
                {
                    if (await StoppedAsync(client, request, token) is { } found && await RestartAsync(request, found, token))
                    {
                        Interlocked.Increment(ref restarted);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    Interlocked.Increment(ref failed);
                    logger.WorkflowCheckFailed(request.Id, ex.GetType().Name);
                }
            });

        // Each listing is read on its own: one that cannot be read (a request row that fails, storage throttling) is logged
        // and the other still checked, rather than the whole check failing.
        async Task ListingAsync(string listing, Func<Task> check)
        {
            try
            {
                await check();
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref failed);
                logger.WorkflowCheckListingFailed(listing, ex.GetType().Name);
            }
        }

        await ListingAsync("open requests", async () =>
        {
            OpenRequestCursor? after = null;
            do
            {
                var page = await store.ListOpenPageAsync(PageSize, after, cancellationToken);
                await CheckAllAsync(page.Items);
                after = page.Next;
            }
            while (after is not null);
        });

        // Closed requests whose work goes on after the close (the emails after completion, an export's deletion).
        await ListingAsync("closed requests with work left", async () => await CheckAllAsync(await store.ListClosedWithRunAsync(cancellationToken)));

        // Submissions kept and not taken in (every try of their taking in failed, or the process stopped before starting it).
        // Submissions whose queue message failed every try (the poison queue): kept and handed to their taking in.
        await ListingAsync("submissions on the poison queue", async () => await services.GetRequiredService<SubmissionTakeIns>().TakeInPoisonedAsync(client, cancellationToken));

        await ListingAsync("submissions not taken in", async () => await services.GetRequiredService<SubmissionTakeIns>().TakeInLeftOverAsync(client, cancellationToken));

        // The nightly purges' runs whose orchestration failed (a long outage at their start or finish): started again.
        if (services.GetService<PurgeOrchestrations>() is { } purges)
        {
            await ListingAsync("failed purge runs", () => purges.ResumeFailedAsync(client, PurgeRegions.All, time.GetUtcNow(), cancellationToken));
        }

        // Notes of steps in progress left by workers that stopped holding a step never delivered again (its orchestration
        // ended or was terminated meanwhile): nothing else removes them.
        if (services.GetService<IStepNotes>() is { } notes)
        {
            await ListingAsync("notes of steps in progress", async () =>
            {
                if (await notes.DropUntakenSinceAsync(time.GetUtcNow() - StepNotesKeptFor, cancellationToken) is > 0 and var dropped)
                {
                    logger.StaleStepNotesDropped(dropped, (int)StepNotesKeptFor.TotalDays);
                }
            });
        }

        logger.WorkflowCheckDone(checkedCount, restarted, failed);
        return (checkedCount, restarted);
    }

    /// <summary>What was found instead of a live orchestration (<c>missing</c>, <c>failed</c>...); null when one is live.</summary>
    private static async Task<string?> StoppedAsync(DurableTaskClient client, DataSubjectRequest request, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(RequestOrchestrator.InstanceId(request.Id), getInputsAndOutputs: false, cancellationToken);
        return instance is null ? "missing"
            : Live.Contains(instance.RuntimeStatus) ? null
            : instance.RuntimeStatus.ToString().ToLowerInvariant();
    }

    /// <summary>
    /// How long after its last restart a request's workflow is left stopped: an hour after the first, doubling with each
    /// restart recorded, up to a day. A workflow that fails again at once (a fault a restart cannot mend, which needs a
    /// fix deployed) is then tried a few times a day at most, and its trail gains a few entries, not one an hour.
    /// </summary>
    public static TimeSpan HeldFor(int restarts) =>
        restarts <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(LongestHold.Ticks, TimeSpan.FromHours(1).Ticks << Math.Min(restarts - 1, 10)));

    /// <summary>
    /// Whether a stopped workflow is left stopped for now, going by the restarts its request's <paramref name="trail"/>
    /// records (<see cref="HeldFor"/>, less five minutes so an hourly run a little early still counts): how many there
    /// were, and from when the check starts it again; null when the next check starts it.
    /// </summary>
    public static (int Restarts, DateTimeOffset NextTry)? Held(IReadOnlyList<Core.Audit.AuditEntry> trail, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(trail);
        var restarts = trail.Where(e => e.Action == RestartedAction).ToList();
        if (restarts.Count == 0)
        {
            return null;
        }

        var nextTry = restarts[^1].At + HeldFor(restarts.Count) - TimeSpan.FromMinutes(5);
        return now < nextTry ? (restarts.Count, nextTry) : null;
    }

    /// <summary>
    /// What was found instead of a live workflow, in words for staff: "it had failed on an error", "an operator had
    /// stopped it", "it was no longer in the task hub".
    /// </summary>
    public static string WhatStopped(string found) => found switch
    {
        "missing" => "it was no longer in the task hub",
        "failed" => "it had failed on an error",
        "terminated" => "an operator had stopped it",
        "completed" => "it had ended while the request was still open",
        _ => "it was " + StaffConsole.Evidence.EvidenceText.Readable(found).ToLowerInvariant(),
    };

    /// <summary>
    /// Tells staff by email that <paramref name="request"/>'s workflow keeps stopping: the stopped workflow cannot send
    /// anything itself, so the check does, once a day per request at most (the message id names the day, and the sender
    /// sends an id once). A send that fails is logged; the next hour's check tries again.
    /// </summary>
    private async Task AlertStaffAsync(DataSubjectRequest request, string found, int restarts, DateTimeOffset nextTry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var messageId = string.Create(CultureInfo.InvariantCulture, $"{request.Id}:workflow-stopped:{now:yyyyMMdd}");
        try
        {
            var result = await sender.SendAsync(composer.ComposeWorkflowStopped(messageId, request, WhatStopped(found), restarts, nextTry), cancellationToken);
            if (!result.AlreadySent)
            {
                logger.WorkflowStoppedAlertSent(request.Id, restarts);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.WorkflowStoppedAlertFailed(request.Id, ex.GetType().Name);
        }
    }

    private async Task<bool> RestartAsync(DataSubjectRequest request, string found, CancellationToken cancellationToken)
    {
        // Only for a stopped workflow (rare). The listing read the request before its orchestration was looked up: one
        // whose run ended meanwhile (closed, nothing left) has no workflow to restart, and is not reported as stopping.
        if (await store.GetAsync(request.Id, cancellationToken) is not { } current || (RequestLifecycle.IsFinal(current.Status) && current.RunEnded))
        {
            return false;
        }

        // Its restarts so far, from the request's own trail.
        var now = time.GetUtcNow();
        if (Held(await store.GetAuditTrailAsync(request.Id, cancellationToken), now) is { } held)
        {
            logger.WorkflowRestartHeld(request.Id, found, held.Restarts);
            if (held.Restarts >= AlertAfterRestarts)
            {
                await AlertStaffAsync(request, found, held.Restarts, held.NextTry, now, cancellationToken);
            }

            return false;
        }

        // Decided on the request as it is now: one closed meanwhile is left alone.
        var decision = await engine.ApplyAsync(request.Id, new WorkflowRestarted(Actor, found), cancellationToken);
        if (decision is not { Changed: true })
        {
            return false;
        }

        logger.WorkflowRestarted(request.Id, found);
        return true;
    }
}
