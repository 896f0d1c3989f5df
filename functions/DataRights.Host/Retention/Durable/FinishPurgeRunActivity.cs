using DataRights.Core.Retention;
using Microsoft.DurableTask;

namespace DataRights.Host.Retention.Durable;

/// <summary>
/// Finishes the run from its report lines with its "finished" audit entry and publishes its report; a run already finished
/// (completed or incomplete) is left as it is and its report published again (a retry after the broker failed).
/// </summary>
[DurableTask(Name)]
public sealed class FinishPurgeRunActivity(PurgeSteps steps, IPurgeStore store) : TaskActivity<string, string>
{
    public const string Name = "FinishPurgeRun";

    public override Task<string> RunAsync(TaskActivityContext context, string input) => CarryOutAsync(input, CancellationToken.None);

    /// <summary>The activity's work (the Function App's activity function calls it too).</summary>
    public async Task<string> CarryOutAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await store.GetAsync(runId, cancellationToken) ?? throw new InvalidOperationException($"Purge run {runId} is not stored.");
        return (await steps.FinishRunAsync(run, cancellationToken)).Status;
    }
}
