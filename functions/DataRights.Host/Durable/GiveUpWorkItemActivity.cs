using DataRights.Core.Ports;
using DataRights.Host.Workflow;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Durable;

/// <summary>
/// After a step could not be carried out (its activity failed on every try, or it never became runnable): dead-letters the item and records the failure on its request (staff
/// are alerted and can retry from the console). Repeated, it finds the item finished and changes nothing, or finds it given up
/// and tells the request again (a repeat the decider ignores), in case the run that gave it up stopped before telling it.
/// </summary>
[DurableTask(Name)]
public sealed class GiveUpWorkItemActivity(
    IWorkOutbox outbox,
    WorkItemRunner runner,
    RequestStanding standing,
    IOptions<WorkflowOptions> workflow,
    TimeProvider time) : TaskActivity<WorkStep, WorkOutcome>
{
    public const string Name = "GiveUpWorkItem";

    public override Task<WorkOutcome> RunAsync(TaskActivityContext context, WorkStep input) => CarryOutAsync(input, CancellationToken.None);

    /// <summary>The activity's work (the Function App's activity function calls it too).</summary>
    public async Task<WorkOutcome> CarryOutAsync(WorkStep input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var step = OrchestrationStep.For(input.RequestId);

        // Whatever its due time: the orchestration has already waited for it through every attempt.
        var delivery = await outbox.LeaseDeliveredAsync(input.RequestId, input.ItemId, time.GetUtcNow(), workflow.Value.LeaseDuration, TimeSpan.MaxValue / 4, cancellationToken);
        switch (delivery.Outcome)
        {
            case DeliveryOutcome.InProgress:
                return new WorkOutcome(WorkResult.NotNow, null, Settled: false, At: time.GetUtcNow());
            case DeliveryOutcome.Leased:
                return await runner.GiveUpAsync(delivery.Lease!, delivery.Lease!.Item.Kind + " failed on every attempt", cancellationToken)
                    ? await standing.AfterAsync(input.RequestId, WorkResult.GaveUp, cancellationToken)
                    : new WorkOutcome(WorkResult.NotNow, null, Settled: false, At: time.GetUtcNow());
            case DeliveryOutcome.DeadLettered:
                // Given up by an earlier run, which may have stopped before its request recorded it.
                await runner.RecordGivenUpAsync(delivery.Lease!, delivery.Error ?? string.Empty, cancellationToken);
                return await standing.AfterAsync(input.RequestId, WorkResult.GaveUp, cancellationToken);
            default:
                return await standing.AfterAsync(input.RequestId, WorkResult.Done, cancellationToken);
        }
    }
}
