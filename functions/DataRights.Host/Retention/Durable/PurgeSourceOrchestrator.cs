using Microsoft.DurableTask;

namespace DataRights.Host.Retention.Durable;

/// <summary>
/// One source of one purge run, a sub-orchestration of <see cref="PurgeOrchestrator"/> (instance id from
/// <see cref="InstanceId"/>: the run's instance and the source key, so a replayed parent finds the same child). It plans
/// the source (read-only and manual sources reported, follow-up erasures carried out), then runs one batch activity
/// (<see cref="PurgeBatch"/>) after another until every category is done. After
/// <see cref="PurgeSourceInput.BatchesPerGeneration"/> batches it continues as new with where it stands, so its history
/// stays small however many records go. A plan or batch that fails outright ends it with the error type (its lines stay
/// unfinished and the run says incomplete). Deterministic: no I/O and no clock here; the activities do the work.
/// </summary>
[DurableTask(Name)]
public sealed class PurgeSourceOrchestrator : TaskOrchestrator<PurgeSourceInput, PurgeSourceResult>
{
    public const string Name = "PurgeSourceOrchestration";

    /// <summary>The source's orchestration within the run's: <c>purge-eu-west-202612020230:billing</c>.</summary>
    public static string InstanceId(string runInstanceId, string sourceKey) => runInstanceId + ":" + sourceKey;

    public override async Task<PurgeSourceResult> RunAsync(TaskOrchestrationContext context, PurgeSourceInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var source = input.Source.Categories is null ? await PlanAsync(context, input.RunId, input.Source.SourceKey) : input.Source;
        for (var batches = 0; Pending(source); batches++)
        {
            if (batches == input.BatchesPerGeneration)
            {
                context.ContinueAsNew(input with { Source = source, Generation = input.Generation + 1 });
                return new PurgeSourceResult(source.SourceKey, source.Batches, input.Generation);
            }

            source = await BatchAsync(context, input.RunId, source);
        }

        return new PurgeSourceResult(source.SourceKey, source.Batches, input.Generation, source.Failure);
    }

    private static bool Pending(PurgeSourceState source) => source.Failure is null && source.Categories is { } categories && source.Index < categories.Count;

    private static async Task<PurgeSourceState> PlanAsync(TaskOrchestrationContext context, string runId, string sourceKey)
    {
        try
        {
            return new PurgeSourceState(sourceKey, await context.CallActivityAsync<IReadOnlyList<string>>(PlanPurgeSourceActivity.Name, new PurgeSourceStep(runId, sourceKey), PurgeOrchestrator.Retry));
        }
        catch (TaskFailedException ex)
        {
            return new PurgeSourceState(sourceKey, [], Failure: ex.FailureDetails.ErrorType);
        }
    }

    private static async Task<PurgeSourceState> BatchAsync(TaskOrchestrationContext context, string runId, PurgeSourceState source)
    {
        var number = source.Batch + 1;
        try
        {
            var result = await context.CallActivityAsync<PurgeBatchResult>(
                PurgeBatchActivity.Name, new PurgeBatch(runId, source.SourceKey, source.Categories![source.Index], number), PurgeOrchestrator.Retry);
            return result.Complete
                ? source with { Index = source.Index + 1, Batch = 0, Batches = source.Batches + 1 }
                : source with { Batch = number, Batches = source.Batches + 1 };
        }
        catch (TaskFailedException ex)
        {
            return source with { Batches = source.Batches + 1, Failure = ex.FailureDetails.ErrorType };
        }
    }
}
