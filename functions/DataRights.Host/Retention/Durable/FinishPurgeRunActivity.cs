using DataRights.Core.Retention;
using Microsoft.DurableTask;

namespace DataRights.Host.Retention.Durable;

/// <summary>
/// Finishes the run from its report lines with its "finished" audit entry and publishes its report; a run already finished
/// (completed or incomplete) is left as it is and its report published again (a retry after the broker failed). A run
/// any of whose sources failed outright is incomplete, whatever its lines say.
/// </summary>
[DurableTask(Name)]
public sealed class FinishPurgeRunActivity(PurgeSteps steps, IPurgeStore store) : TaskActivity<PurgeRunFinish, string>
{
    public const string Name = "FinishPurgeRun";

    public override Task<string> RunAsync(TaskActivityContext context, PurgeRunFinish input) => CarryOutAsync(input, CancellationToken.None);

    /// <summary>Finishes run <paramref name="runId"/>, none of whose sources failed outright.</summary>
    public Task<string> CarryOutAsync(string runId, CancellationToken cancellationToken) => CarryOutAsync(new PurgeRunFinish(runId), cancellationToken);

    /// <summary>The activity's work (the Function App's activity function calls it too).</summary>
    public async Task<string> CarryOutAsync(PurgeRunFinish input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var run = await store.GetAsync(input.RunId, cancellationToken) ?? throw new InvalidOperationException($"Purge run {input.RunId} is not stored.");
        return (await steps.FinishRunAsync(run, input.FailedSources ?? [], cancellationToken)).Status;
    }
}
