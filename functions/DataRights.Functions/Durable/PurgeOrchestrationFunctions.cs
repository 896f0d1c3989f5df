using DataRights.Host.Retention.Durable;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace DataRights.Functions.Durable;

/// <summary>
/// The purge orchestration, its per-source sub-orchestration and their activities as Durable Functions: each function hands over to the same class the
/// stand-alone host's Durable Task worker runs. A step that keeps stopping the worker (a source's connector that crashes it
/// on a batch) fails rather than runs for ever (<see cref="ActivityStepGuard"/>): the source fails for this run, and the
/// others go on.
/// </summary>
public sealed class PurgeOrchestrationFunctions(
    StartPurgeRunActivity start, PlanPurgeSourceActivity plan, PurgeBatchActivity batch, FinishPurgeRunActivity finish, ActivityStepGuard guard)
{
    [Function(PurgeOrchestrator.Name)]
    public static Task<PurgeRunResult> PurgeOrchestration([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new PurgeOrchestrator().RunAsync(context, context.GetInput<PurgeRunInput>()!);
    }

    [Function(PurgeSourceOrchestrator.Name)]
    public static Task<PurgeSourceResult> PurgeSourceOrchestration([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new PurgeSourceOrchestrator().RunAsync(context, context.GetInput<PurgeSourceInput>()!);
    }

    [Function(StartPurgeRunActivity.Name)]
    public Task<PurgeRunStarted> StartPurgeRun([ActivityTrigger] PurgeRunInput input, CancellationToken cancellationToken) =>
        guard.RunAsync(StartPurgeRunActivity.Name, input.RunId, input, () => start.CarryOutAsync(input, cancellationToken));

    [Function(PlanPurgeSourceActivity.Name)]
    public Task<IReadOnlyList<string>> PlanPurgeSource([ActivityTrigger] PurgeSourceStep input, CancellationToken cancellationToken) =>
        guard.RunAsync(PlanPurgeSourceActivity.Name, input.RunId, input, () => plan.CarryOutAsync(input, cancellationToken));

    [Function(PurgeBatchActivity.Name)]
    public Task<PurgeBatchResult> PurgeBatch([ActivityTrigger] PurgeBatch input, CancellationToken cancellationToken) =>
        guard.RunAsync(PurgeBatchActivity.Name, input.RunId, input, () => batch.CarryOutAsync(input, cancellationToken));

    [Function(FinishPurgeRunActivity.Name)]
    public Task<string> FinishPurgeRun([ActivityTrigger] PurgeRunFinish input, CancellationToken cancellationToken) =>
        guard.RunAsync(FinishPurgeRunActivity.Name, input.RunId, input, () => finish.CarryOutAsync(input, cancellationToken));
}
