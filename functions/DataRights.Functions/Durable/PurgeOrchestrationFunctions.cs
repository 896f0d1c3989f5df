using DataRights.Host.Retention.Durable;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace DataRights.Functions.Durable;

/// <summary>
/// The purge orchestration, its per-source sub-orchestration and their activities as Durable Functions: each function hands over to the same class the
/// stand-alone host's Durable Task worker runs.
/// </summary>
public sealed class PurgeOrchestrationFunctions(
    StartPurgeRunActivity start, PlanPurgeSourceActivity plan, PurgeBatchActivity batch, FinishPurgeRunActivity finish)
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
        start.CarryOutAsync(input, cancellationToken);

    [Function(PlanPurgeSourceActivity.Name)]
    public Task<IReadOnlyList<string>> PlanPurgeSource([ActivityTrigger] PurgeSourceStep input, CancellationToken cancellationToken) =>
        plan.CarryOutAsync(input, cancellationToken);

    [Function(PurgeBatchActivity.Name)]
    public Task<PurgeBatchResult> PurgeBatch([ActivityTrigger] PurgeBatch input, CancellationToken cancellationToken) =>
        batch.CarryOutAsync(input, cancellationToken);

    [Function(FinishPurgeRunActivity.Name)]
    public Task<string> FinishPurgeRun([ActivityTrigger] PurgeRunFinish input, CancellationToken cancellationToken) =>
        finish.CarryOutAsync(input, cancellationToken);
}
