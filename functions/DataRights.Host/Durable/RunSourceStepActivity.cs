using DataRights.Core.Email;
using DataRights.Core.Ports;
using DataRights.Core.Workflow;
using DataRights.Host.Workflow;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Durable;

/// <summary>
/// One attempt at a source's step that the request's stage lists (<see cref="RequestStage.Steps"/>): its search
/// (<c>SearchSource</c>) or the carrying out of the request at it (<c>CarryOutAtSource</c>), run by the orchestration
/// side by side with the other sources', with no work item behind it. The step reads the request and does nothing
/// when the step is no longer open (a repeated run, an earlier round), so running it again changes nothing; a manual
/// source's task email is keyed by the step's id (<see cref="PendingSourceStep.IdFor"/>). A source's failure before
/// the last attempt says when to try again (<see cref="WorkResult.Failed"/>, after the work queue's backoff, on the
/// program's clock); on the last attempt it is recorded as the source's, and the request goes on without it. A failure
/// of the store fails the activity, which the orchestration runs again after a pause. A step that kept stopping the
/// program (<see cref="SourceStepRun.StoppedTheProgram"/>) is not run: the source's failure is recorded, if the step is
/// still open.
/// </summary>
[DurableTask(Name)]
public sealed class RunSourceStepActivity(
    SearchSourceStep search,
    CarryOutAtSourceStep carryOut,
    RequestStanding standing,
    IRequestStore store,
    WorkflowEngine engine,
    IOptions<WorkflowOptions> workflow,
    TimeProvider time,
    ILogger<RunSourceStepActivity> logger) : TaskActivity<SourceStepRun, WorkOutcome>
{
    public const string Name = "RunSourceStep";

    public override Task<WorkOutcome> RunAsync(TaskActivityContext context, SourceStepRun input) => CarryOutAsync(input, CancellationToken.None);

    /// <summary>The activity's work (the Function App's activity functions call it too).</summary>
    public async Task<WorkOutcome> CarryOutAsync(SourceStepRun input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!Kebab.TryParse<SourceStep>(input.Step, out var kind) || string.IsNullOrEmpty(input.Source) || input.Round < 1 || input.Attempt < 1)
        {
            throw new ArgumentException($"'{input.Step}' for '{input.Source}' in round {input.Round} is not a source step.", nameof(input));
        }

        var pending = new PendingSourceStep(kind, input.Source, input.Round);
        var attempt = new SourceStepAttempt(input.RequestId, input.Source, input.Round, pending.IdFor(input.RequestId), input.Attempt, input.Attempt >= workflow.Value.MaxAttempts);

        // What the step's decisions commit for the request comes back to the orchestration in its result.
        using var step = OrchestrationStep.For(input.RequestId);
        if (input.StoppedTheProgram)
        {
            await GiveUpAsync(kind, attempt, cancellationToken);
            return await standing.AfterStepAsync(step, firstRun: step.Committed is not null, cancellationToken);
        }

        try
        {
            await (kind == SourceStep.Discover
                ? search.RunAsync(attempt, cancellationToken)
                : carryOut.RunAsync(attempt, cancellationToken));
        }
        catch (Exception ex) when (!attempt.IsLastAttempt && ex is not OperationCanceledException)
        {
            // Tried again after the work queue's backoff (or, when another run of this step is sending the manual
            // source's task email right now, once that run's hold on it ends); the orchestration waits until then.
            var now = time.GetUtcNow();
            var delay = ex is EmailSendInProgressException held && held.HeldUntil > now ? held.HeldUntil - now : WorkItemRunner.Backoff(attempt.Attempt, workflow.Value);
            logger.SourceStepAttemptFailed(attempt.StepId, Kebab.Of(kind), attempt.Attempt, ex.GetType().Name, (int)delay.TotalSeconds);
            return new WorkOutcome(WorkResult.Failed, null, Settled: false, At: now, RetryAt: now + delay);
        }

        return await standing.AfterStepAsync(step, firstRun: step.Committed is not null, cancellationToken);
    }

    /// <summary>What a source's failure says when asking it kept stopping the program.</summary>
    public const string StoppedTheProgramError = "Asking this source stopped the program each time it was tried, so it was not asked again.";

    // The step is no longer run: its source's failure is recorded, once, while the step is open.
    private async Task GiveUpAsync(SourceStep kind, SourceStepAttempt attempt, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(attempt.RequestId, cancellationToken) is not { } request || !RequestDecider.IsOpenStep(request, kind, attempt.Source, attempt.Round))
        {
            return;
        }

        WorkflowEvent failed = kind == SourceStep.Discover
            ? new SourceDiscoveryFailed("system:discovery", attempt.Source, attempt.Round, StoppedTheProgramError)
            : new SourceExecutionFailed("system:execution", attempt.Source, attempt.Round, StoppedTheProgramError);
        await engine.ApplyAsync(request.Id, failed, cancellationToken);
    }
}
