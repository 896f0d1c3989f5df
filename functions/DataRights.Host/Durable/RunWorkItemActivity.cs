using DataRights.Core.Email;
using DataRights.Core.Ports;
using DataRights.Core.Workflow;
using DataRights.Host.Workflow;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Durable;

/// <summary>
/// Runs one piece of the work the request owes (<see cref="RequestProgress.Owed"/>: an email, an export's build or
/// deletion, the suppression list, a restriction's release, an event): reads the request (work it no longer owes, a
/// repeated run's, changes nothing), runs the work's handler (each is idempotent on the work's id, so a run repeated
/// after a crash sends no second email and erases nothing twice), and records it carried out, in a write of the request
/// like any decision. Attempts are counted by the orchestration (<see cref="WorkStep.Attempt"/>): a failure before the
/// last says when to try again (<see cref="WorkResult.Failed"/>, after the backoff, on the program's clock, which the
/// orchestration's timer follows); the last attempt, or a refusal that will not change on retry, gives up at once (the
/// request records the failure and alerts staff). No lease holds the work: a run delivered again while the first still
/// runs (a stall past the visibility timeout) runs the same idempotent handler, and the first to record the outcome
/// stands; an email the first run is sending at that moment is held by its claim in the sent-message log, so the
/// second run sends nothing and waits (<see cref="EmailSendInProgressException"/>: not now, no attempt spent).
/// </summary>
[DurableTask(Name)]
public sealed class RunWorkItemActivity(
    IRequestStore store,
    WorkItemRunner runner,
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

        // What this step's decisions commit for the request comes back to the orchestration in this step's result.
        using var step = OrchestrationStep.For(input.RequestId);
        var request = await store.GetAsync(input.RequestId, cancellationToken);
        if (request?.Progress.OwedOf(input.ItemId) is not { } owed)
        {
            // Carried out or given up already (a repeated run), or no such work.
            return await standing.AfterAsync(input.RequestId, WorkResult.Done, cancellationToken);
        }

        var now = time.GetUtcNow();
        if (owed.NotBefore > now + durable.Value.EarlyTolerance)
        {
            // Not due by this host's clock: the orchestration waits until it is.
            return new WorkOutcome(WorkResult.NotNow, null, Settled: false, At: now, RetryAt: owed.NotBefore);
        }

        var attempt = Math.Max(1, input.Attempt);
        var item = new WorkAttempt(owed.For(input.RequestId), attempt);
        var isLastAttempt = attempt >= workflow.Value.MaxAttempts;
        try
        {
            await runner.HandleAsync(item, isLastAttempt, cancellationToken);
        }
        catch (EmailSendInProgressException held)
        {
            // This step was delivered again while its first run still sends the same email (a stall past the visibility
            // timeout): nothing was sent here, and no attempt is spent. The orchestration asks again when the other
            // run's hold ends; by then the email is recorded sent (that run's step records the work), or its run died.
            logger.WorkHeldElsewhere(item.Item.Id, item.Item.Kind, held.HeldUntil);
            return new WorkOutcome(WorkResult.NotNow, null, Settled: false, At: time.GetUtcNow(), RetryAt: held.HeldUntil);
        }
        catch (Exception ex) when (WorkItemRunner.IsPermanent(ex) || isLastAttempt)
        {
            await runner.GiveUpAsync(item, WorkItemRunner.Describe(ex), cancellationToken);
            return await standing.AfterAsync(input.RequestId, WorkResult.GaveUp, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Tried again after the backoff; the orchestration waits until then.
            var delay = WorkItemRunner.Backoff(attempt, workflow.Value);
            logger.WorkAttemptFailed(item.Item.Id, item.Item.Kind, attempt, ex.GetType().Name, (int)delay.TotalSeconds);
            var at = time.GetUtcNow();
            return new WorkOutcome(WorkResult.Failed, null, Settled: false, At: at, RetryAt: at + delay);
        }

        // The handler did its work. A record that cannot be written (the store unreachable) fails the activity, which the
        // orchestration runs again: the handler finds its work done, and that run records it. It is never given up here,
        // even on the last attempt, as work done is not a failure (a staff retry would do it twice).
        await runner.CompleteAsync(item, cancellationToken);
        return await standing.AfterStepAsync(step, item, cancellationToken);
    }
}
