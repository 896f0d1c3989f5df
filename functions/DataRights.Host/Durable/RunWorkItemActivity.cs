using DataRights.Core.Ports;
using DataRights.Host.Workflow;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Durable;

/// <summary>
/// Runs one work item: takes it from the store (a repeated run finds it done and changes nothing), runs its handler
/// (each handler is idempotent on the item's id, so a run repeated after a crash sends no second email and erases
/// nothing twice), and marks it done. A failure hands the item back with its error and the work queue's backoff, and
/// says when to try again (<see cref="WorkResult.Failed"/>, on the program's clock, which the orchestration's timer
/// follows); the last attempt, or a refusal that will not change on retry, gives up at once (dead letter, staff alerted).
/// The item is held in the store for <see cref="DurableOptions.StepLease"/>, renewed while the handler runs, so a step
/// whose process died is taken over soon.
/// </summary>
[DurableTask(Name)]
public sealed class RunWorkItemActivity(
    IWorkOutbox outbox,
    IWorkQueue queue,
    WorkItemRunner runner,
    RequestStanding standing,
    IOptions<WorkflowOptions> workflow,
    IOptions<DurableOptions> durable,
    TimeProvider time,
    ILogger<RunWorkItemActivity> logger) : TaskActivity<WorkStep, WorkOutcome>
{
    public const string Name = "RunWorkItem";

    public override Task<WorkOutcome> RunAsync(TaskActivityContext context, WorkStep input) => CarryOutAsync(input, CancellationToken.None);

    /// <summary>The activity's work (the Function App's activity function calls it too).</summary>
    public async Task<WorkOutcome> CarryOutAsync(WorkStep input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);

        // What this step's decisions commit for the request comes back to the orchestration in this step's result.
        using var step = OrchestrationStep.For(input.RequestId);
        var stepLease = durable.Value.StepLease;
        var delivery = await outbox.LeaseDeliveredAsync(input.RequestId, input.ItemId, time.GetUtcNow(), stepLease, durable.Value.EarlyTolerance, cancellationToken);
        switch (delivery.Outcome)
        {
            case DeliveryOutcome.NotDueYet or DeliveryOutcome.InProgress:
                var now = time.GetUtcNow();
                return new WorkOutcome(WorkResult.NotNow, null, Settled: false, At: now, RetryAt: now + durable.Value.NotNowRetry);
            case DeliveryOutcome.NotFound or DeliveryOutcome.AlreadyFinished:
                return await standing.AfterAsync(input.RequestId, WorkResult.Done, cancellationToken);
            case DeliveryOutcome.DeadLettered:
                // Given up by an earlier run, which may have stopped before its request recorded it.
                await runner.RecordGivenUpAsync(delivery.Lease!, delivery.Error ?? string.Empty, cancellationToken);
                return await standing.AfterAsync(input.RequestId, WorkResult.GaveUp, cancellationToken);
        }

        var item = delivery.Lease!;
        try
        {
            // The store lease is short, so a step whose process died is taken over soon; this run renews its own while the
            // handler works, and stops before completing (a renewal racing the completion could make it miss).
            using (var renewing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var renewal = RenewWhileRunningAsync(item, stepLease, renewing.Token, cancellationToken);
                try
                {
                    await runner.HandleAsync(item, item.Attempt >= workflow.Value.MaxAttempts, cancellationToken);
                }
                finally
                {
                    await renewing.CancelAsync();
                    await renewal;
                }
            }
        }
        catch (Exception ex) when (WorkItemRunner.IsPermanent(ex) || item.Attempt >= workflow.Value.MaxAttempts)
        {
            if (!await runner.GiveUpAsync(item, WorkItemRunner.Describe(ex), cancellationToken))
            {
                // The lease was lost while the handler ran: the run that took the item over decides how it ends.
                var at = time.GetUtcNow();
                return new WorkOutcome(WorkResult.NotNow, null, Settled: false, At: at, RetryAt: at);
            }

            return await standing.AfterAsync(input.RequestId, WorkResult.GaveUp, cancellationToken);
        }
        catch (Exception ex)
        {
            // Hand the item back (its error recorded) due again after the backoff; the orchestration waits until then.
            var delay = WorkItemRunner.Backoff(item.Attempt, workflow.Value);
            var retryAt = time.GetUtcNow() + delay;
            await queue.RetryAsync(item, retryAt, WorkItemRunner.Describe(ex), cancellationToken);
            logger.WorkAttemptFailed(item.Item.Id, item.Item.Kind, item.Attempt, ex.GetType().Name, (int)delay.TotalSeconds);
            return new WorkOutcome(WorkResult.Failed, null, Settled: false, At: time.GetUtcNow(), RetryAt: retryAt);
        }

        // The handler did its work. A completion that cannot be written (the store unreachable) fails the activity, which
        // the orchestration runs again: the handler finds its work done, and that run completes the item. It is never
        // given up here, even on the last attempt, as work done is not a failure (a staff retry would do it twice).
        if (!await runner.CompleteAsync(item, cancellationToken))
        {
            // The lease was lost while the handler ran (taken over after a stall): the
            // item is not marked done, so the orchestration must not count it finished. Leased again at once, it
            // runs again (the handler is idempotent: nothing is sent or erased twice) and is completed by that run,
            // or is found finished or in progress by another.
            logger.StepCompletionRefused(item.Item.Id, item.Item.Kind, item.Attempt);
            var at = time.GetUtcNow();
            return new WorkOutcome(WorkResult.NotNow, null, Settled: false, At: at, RetryAt: at);
        }

        return await standing.AfterStepAsync(step, item, cancellationToken);
    }

    /// <summary>
    /// Extends <paramref name="item"/>'s lease to now + <paramref name="stepLease"/> every third of it until <paramref name="stop"/>.
    /// An extension under way when it stops is finished, not abandoned, so the completion or retry that follows reads the item as it is.
    /// </summary>
    private async Task RenewWhileRunningAsync(LeasedWorkItem item, TimeSpan stepLease, CancellationToken stop, CancellationToken cancellationToken)
    {
        var period = stepLease / 3;
        try
        {
            while (true)
            {
                await Task.Delay(period, time, stop);
                bool extended;
                try
                {
                    extended = await outbox.ExtendLeaseAsync(item, time.GetUtcNow() + stepLease, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A store hiccup: the lease still runs for a while, so the next round tries again.
                    logger.StepLeaseRenewalFailed(item.Item.Id, item.Item.Kind, item.Attempt, ex.GetType().Name);
                    continue;
                }

                if (!extended)
                {
                    // Lost (taken over after a stall, say): the handler is idempotent, so this run finishes; its completion is refused.
                    logger.StepLeaseLost(item.Item.Id, item.Item.Kind, item.Attempt);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The handler returned or threw (or the host is stopping).
        }
    }
}
