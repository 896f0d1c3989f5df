using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using DataRights.Host.Workflow;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Durable;

/// <summary>
/// At a request's close, marks done a timer of it that can no longer do anything (<see cref="TimerWork.EndsWithTheRequest"/>:
/// its reminders, its expiry, its deadline notices), before the timer is due, so the request's orchestration ends once its
/// real work after the close is done instead of waiting weeks for timers the decider would ignore. It changes nothing but
/// the item: the decider records nothing for such a timer on a closed request either. A request not closed (which cannot
/// be: a close is final), or an item held by another run, is left as it is and the timer runs when due.
/// </summary>
[DurableTask(Name)]
public sealed class DropTimerActivity(
    IRequestStore store,
    IWorkOutbox outbox,
    WorkItemRunner runner,
    RequestStanding standing,
    IOptions<WorkflowOptions> workflow,
    TimeProvider time,
    ILogger<DropTimerActivity> logger) : TaskActivity<WorkStep, WorkOutcome>
{
    public const string Name = "DropTimer";

    public override Task<WorkOutcome> RunAsync(TaskActivityContext context, WorkStep input) => CarryOutAsync(input, CancellationToken.None);

    /// <summary>The activity's work (the Function App's activity function calls it too).</summary>
    public async Task<WorkOutcome> CarryOutAsync(WorkStep input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!TimerWork.EndsWithTheRequest(input.ItemId)
            || await store.GetAsync(input.RequestId, cancellationToken) is not { } request
            || !RequestLifecycle.IsFinal(request.Status))
        {
            return new WorkOutcome(WorkResult.NotNow, null, Settled: false, At: time.GetUtcNow());
        }

        // Whatever its due time: that is the point.
        var delivery = await outbox.LeaseDeliveredAsync(input.RequestId, input.ItemId, time.GetUtcNow(), workflow.Value.LeaseDuration, TimeSpan.MaxValue / 4, cancellationToken);
        switch (delivery.Outcome)
        {
            case DeliveryOutcome.InProgress:
                return new WorkOutcome(WorkResult.NotNow, null, Settled: false, At: time.GetUtcNow());
            case DeliveryOutcome.Leased:
                if (!await runner.CompleteAsync(delivery.Lease!, cancellationToken))
                {
                    return new WorkOutcome(WorkResult.NotNow, null, Settled: false, At: time.GetUtcNow());
                }

                logger.TimerDropped(input.ItemId);
                return await standing.AfterAsync(input.RequestId, WorkResult.Done, cancellationToken);
            default:
                return await standing.AfterAsync(input.RequestId, WorkResult.Done, cancellationToken);
        }
    }
}
