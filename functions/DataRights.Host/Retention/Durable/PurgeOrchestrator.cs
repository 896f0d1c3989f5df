using DataRights.Core.Retention;
using DataRights.Host.Durable;
using Microsoft.DurableTask;

namespace DataRights.Host.Retention.Durable;

/// <summary>
/// One purge of one region (instance id from <see cref="PurgeOrchestrations"/>: region and occurrence, so starting an
/// occurrence twice runs it once). It stores the run, purges every source of the region side by side, each in a
/// sub-orchestration of its own (<see cref="PurgeSourceOrchestrator"/>: plan, then batches, continuing as new on long
/// runs), so a slow or failing source never holds the others back; then it finishes the run from its report lines. A
/// source whose orchestration fails outright is left with its lines unfinished (the run says incomplete) and the others
/// go on. The run's start and finish keep trying through a storage or broker outage for hours (<see cref="RunStepRetry"/>);
/// a timer run that failed there all the same is started again by the hourly workflow check, under an instance of its own
/// with the same run id (<see cref="PurgeOrchestrations.ResumeFailedAsync"/>), so the night gets its report. Deterministic:
/// no I/O and no clock here; the activities do the work.
/// </summary>
[DurableTask(Name)]
public sealed class PurgeOrchestrator : TaskOrchestrator<PurgeRunInput, PurgeRunResult>
{
    public const string Name = "PurgeOrchestration";

    /// <summary>
    /// A storage hiccup in an activity is retried; a source's own errors are report lines, not failures. A step that kept
    /// stopping the program (<see cref="StepStoppedTheProgramException"/>) is not retried: the source fails for this run.
    /// </summary>
    internal static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(maxNumberOfAttempts: 3, firstRetryInterval: TimeSpan.FromSeconds(5), backoffCoefficient: 2.0)
    {
        HandleFailure = StepStoppedTheProgramException.MayTryAgain,
    });

    /// <summary>The first pause before the run's start or finish is tried again, unless the run says otherwise.</summary>
    public static readonly TimeSpan RunStepRetryFirst = TimeSpan.FromSeconds(5);

    /// <summary>How long the run's start or finish keeps trying, unless the run says otherwise.</summary>
    public static readonly TimeSpan RunStepRetryFor = TimeSpan.FromHours(6);

    /// <summary>The longest pause between two tries of the run's start or finish.</summary>
    public static readonly TimeSpan RunStepLongestPause = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The run's start and finish: tried again after a pause that doubles up to <see cref="RunStepLongestPause"/>, for
    /// <see cref="PurgeRunInput.RunStepRetryFor"/> in all, unless it kept stopping the program (then the run fails, and the
    /// hourly check starts it again a few times, as any run that failed). A source's batches keep <see cref="Retry"/>: a
    /// source that fails makes the run incomplete, which the finish reports.
    /// </summary>
    public static TaskOptions RunStepRetry(PurgeRunInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var first = input.RunStepRetryFirst ?? RunStepRetryFirst;
        var longest = first > RunStepLongestPause ? first : RunStepLongestPause;
        var retryFor = input.RunStepRetryFor ?? RunStepRetryFor;

        // The policy refuses a budget shorter than the first pause (the settings' check refuses it too).
        return TaskOptions.FromRetryPolicy(new RetryPolicy(
            maxNumberOfAttempts: int.MaxValue,
            firstRetryInterval: first,
            backoffCoefficient: 2.0,
            maxRetryInterval: longest,
            retryTimeout: retryFor < first ? first : retryFor)
        {
            HandleFailure = StepStoppedTheProgramException.MayTryAgain,
        });
    }

    public override async Task<PurgeRunResult> RunAsync(TaskOrchestrationContext context, PurgeRunInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);

        // An instance that continued as new before sources had orchestrations of their own carries where each stood.
        var sources = input.Sources;
        if (sources is null)
        {
            var started = await context.CallActivityAsync<PurgeRunStarted>(StartPurgeRunActivity.Name, input, RunStepRetry(input));
            if (started.AlreadyFinished)
            {
                return new PurgeRunResult(input.RunId, PurgeRun.Completed, []);
            }

            sources = [.. started.SourceKeys.Select(key => new PurgeSourceState(key))];
        }

        var results = await Task.WhenAll(sources.Select(source => PurgeSourceAsync(context, input, source)));
        var failed = results.Where(r => r.Failure is not null).Select(r => r.SourceKey).ToList();
        var status = await context.CallActivityAsync<string>(FinishPurgeRunActivity.Name, new PurgeRunFinish(input.RunId, failed), RunStepRetry(input));
        return new PurgeRunResult(input.RunId, status, results);
    }

    private static async Task<PurgeSourceResult> PurgeSourceAsync(TaskOrchestrationContext context, PurgeRunInput input, PurgeSourceState source)
    {
        try
        {
            return await context.CallSubOrchestratorAsync<PurgeSourceResult>(
                PurgeSourceOrchestrator.Name,
                new PurgeSourceInput(input.RunId, source, input.BatchesPerGeneration),
                new SubOrchestrationOptions(instanceId: PurgeSourceOrchestrator.InstanceId(context.InstanceId, source.SourceKey)));
        }
        catch (TaskFailedException ex)
        {
            return new PurgeSourceResult(source.SourceKey, source.Batches, 1, ex.FailureDetails.ErrorType);
        }
    }
}
