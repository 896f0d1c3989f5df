using DataRights.Core.Workflow;
using DataRights.Host.Workflow;
using Microsoft.DurableTask;

namespace DataRights.Host.Durable;

/// <summary>
/// Tells the request that one of its deadline timers fired (a reminder before the due date, the overdue notice): the
/// orchestration waits for each on a durable timer of its own, from the request's stage, with no work item behind it.
/// The decider decides as for any timer, and remembers it once it has acted, so a repeated run changes nothing; what
/// it commits (the staff email) comes back in the result, with where the request then stands.
/// </summary>
[DurableTask(Name)]
public sealed class DeadlineDueActivity(WorkflowEngine engine, RequestStanding standing) : TaskActivity<DeadlineStep, WorkOutcome>
{
    public const string Name = "DeadlineDue";

    public override Task<WorkOutcome> RunAsync(TaskActivityContext context, DeadlineStep input) => CarryOutAsync(input, CancellationToken.None);

    /// <summary>The activity's work (the Function App's activity function calls it too).</summary>
    public async Task<WorkOutcome> CarryOutAsync(DeadlineStep input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!Kebab.TryParse<TimerKind>(input.Kind, out var kind) || kind is not (TimerKind.DeadlineReminder or TimerKind.Overdue))
        {
            throw new ArgumentException($"'{input.Kind}' is not a deadline timer.", nameof(input));
        }

        using var step = OrchestrationStep.For(input.RequestId);
        await engine.ApplyAsync(input.RequestId, new TimerElapsed("system:timer", kind, input.Tag), cancellationToken);
        return await standing.AfterStepAsync(step, firstRun: step.Committed is not null, cancellationToken);
    }
}
