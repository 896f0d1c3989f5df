using DataRights.Core.Retention;
using Microsoft.DurableTask;

namespace DataRights.Host.Retention.Durable;

/// <summary>
/// One purge of one region (instance id from <see cref="PurgeOrchestrations"/>: region and occurrence, so starting an
/// occurrence twice runs it once). It stores the run, plans every source of the region side by side (read-only and
/// manual sources reported, follow-up erasures carried out), then purges them side by side in rounds: each round runs
/// one batch activity (<see cref="PurgeBatch"/>) for every source with a category left, so a slow or failing source
/// never holds the others back for more than a batch. After <see cref="PurgeRunInput.BatchesPerGeneration"/> rounds it
/// continues as new with where each source stands, so its history stays small however many records go. A source whose
/// plan or batch fails outright is left with its lines unfinished (the run says incomplete) and the others go on.
/// Deterministic: no I/O and no clock here; the activities do the work.
/// </summary>
[DurableTask(Name)]
public sealed class PurgeOrchestrator : TaskOrchestrator<PurgeRunInput, PurgeRunResult>
{
    public const string Name = "PurgeOrchestration";

    /// <summary>A storage hiccup in an activity is retried; a source's own errors are report lines, not failures.</summary>
    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(maxNumberOfAttempts: 3, firstRetryInterval: TimeSpan.FromSeconds(5), backoffCoefficient: 2.0));

    public override async Task<PurgeRunResult> RunAsync(TaskOrchestrationContext context, PurgeRunInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var sources = input.Sources;
        if (sources is null)
        {
            var started = await context.CallActivityAsync<PurgeRunStarted>(StartPurgeRunActivity.Name, input, Retry);
            if (started.AlreadyFinished)
            {
                return new PurgeRunResult(input.RunId, PurgeRun.Completed, []);
            }

            sources = await Task.WhenAll(started.SourceKeys.Select(key => PlanAsync(context, input.RunId, key)));
        }

        for (var round = 0; sources.Any(Pending); round++)
        {
            if (round == input.BatchesPerGeneration)
            {
                context.ContinueAsNew(input with { Sources = sources, Generation = input.Generation + 1 });
                return new PurgeRunResult(input.RunId, PurgeRun.Running, []);
            }

            sources = await Task.WhenAll(sources.Select(s => Pending(s) ? BatchAsync(context, input.RunId, s) : Task.FromResult(s)));
        }

        var status = await context.CallActivityAsync<string>(FinishPurgeRunActivity.Name, input.RunId, Retry);
        return new PurgeRunResult(input.RunId, status, [.. sources.Select(s => new PurgeSourceResult(s.SourceKey, s.Batches, input.Generation, s.Failure))]);
    }

    private static bool Pending(PurgeSourceState source) => source.Failure is null && source.Categories is { } categories && source.Index < categories.Count;

    private static async Task<PurgeSourceState> PlanAsync(TaskOrchestrationContext context, string runId, string sourceKey)
    {
        try
        {
            return new PurgeSourceState(sourceKey, await context.CallActivityAsync<IReadOnlyList<string>>(PlanPurgeSourceActivity.Name, new PurgeSourceStep(runId, sourceKey), Retry));
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
                PurgeBatchActivity.Name, new PurgeBatch(runId, source.SourceKey, source.Categories![source.Index], number), Retry);
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
