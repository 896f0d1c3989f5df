using DataRights.Core.Ports;
using DataRights.Host.Workflow;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Durable;

/// <summary>
/// Runs one work item: takes it from the store (a repeated run finds it done and changes nothing), runs its handler
/// (each handler is idempotent on the item's id, so a run repeated after a crash sends no second email and erases
/// nothing twice), and marks it done. A failure hands the item back and throws, so the orchestration's retry policy
/// runs it again; a refusal that will not change on retry gives up at once.
/// </summary>
[DurableTask(Name)]
public sealed class RunWorkItemActivity(
    IWorkOutbox outbox,
    IWorkQueue queue,
    WorkItemProcessor processor,
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
        var delivery = await outbox.LeaseDeliveredAsync(input.ItemId, time.GetUtcNow(), workflow.Value.LeaseDuration, durable.Value.EarlyTolerance, cancellationToken);
        switch (delivery.Outcome)
        {
            case DeliveryOutcome.NotDueYet or DeliveryOutcome.InProgress:
                return new WorkOutcome(WorkResult.NotNow, null, Settled: false);
            case DeliveryOutcome.NotFound or DeliveryOutcome.AlreadyFinished:
                return await standing.AfterAsync(input.RequestId, WorkResult.Done, cancellationToken);
        }

        var item = delivery.Lease!;
        try
        {
            await processor.RunHandlerAsync(item, item.Attempt >= workflow.Value.MaxAttempts, cancellationToken);
        }
        catch (Exception ex) when (WorkItemProcessor.IsPermanent(ex))
        {
            await processor.GiveUpAsync(item, WorkItemProcessor.Describe(ex), cancellationToken);
            return await standing.AfterAsync(input.RequestId, WorkResult.GaveUp, cancellationToken);
        }
        catch (Exception ex)
        {
            // Hand the item back (its error recorded), then fail this attempt: the retry policy decides when to run it again.
            await queue.RetryAsync(item, time.GetUtcNow(), WorkItemProcessor.Describe(ex), cancellationToken);
            logger.WorkAttemptFailed(item.Item.Id, item.Item.Kind, item.Attempt, ex.GetType().Name);
            throw;
        }

        return await standing.AfterAsync(input.RequestId, WorkResult.Done, cancellationToken);
    }
}
