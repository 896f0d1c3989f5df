using DataRights.Core.Workflow;
using DataRights.Host.Workflow;
using Microsoft.DurableTask;

namespace DataRights.Host.Durable;

/// <summary>
/// Tells the request that one of the timers it keeps fired (<see cref="PlannedTimer"/>: a wait's reminder or end, a
/// reminder before the due date, the overdue notice, a restriction's lift): the orchestration waits for each on a durable timer of its own,
/// from the request's stage, with no work item behind it, and runs this under the name of what the timer does
/// (<see cref="JourneySteps.TimerActivityFor"/>: <c>RemindToConfirm</c>, <c>EscalateApproval</c>, <c>MarkOverdue</c>...).
/// The decider decides as for any timer, and remembers it once it has acted, so a repeated run changes nothing; what
/// it commits (an email, the request expired) comes back in the result, with where the request then stands.
/// </summary>
[DurableTask(Name)]
public sealed class PlannedTimerDueActivity(WorkflowEngine engine, RequestStanding standing) : TaskActivity<PlannedTimerStep, WorkOutcome>
{
    public const string Name = "PlannedTimerDue";

    public override Task<WorkOutcome> RunAsync(TaskActivityContext context, PlannedTimerStep input) => CarryOutAsync(input, CancellationToken.None);

    /// <summary>The activity's work (the Function App's activity function calls it too).</summary>
    public async Task<WorkOutcome> CarryOutAsync(PlannedTimerStep input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!Kebab.TryParse<TimerKind>(input.Kind, out var kind) || !TimerWork.KeptByTheRequest(kind))
        {
            throw new ArgumentException($"'{input.Kind}' is not a timer the request keeps.", nameof(input));
        }

        using var step = OrchestrationStep.For(input.RequestId);
        await engine.ApplyAsync(input.RequestId, new TimerElapsed("system:timer", kind, input.Tag), cancellationToken);
        return await standing.AfterStepAsync(step, firstRun: step.Committed is not null, cancellationToken);
    }
}
