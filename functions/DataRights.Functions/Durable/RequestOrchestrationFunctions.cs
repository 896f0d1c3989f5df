using DataRights.Host.Durable;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace DataRights.Functions.Durable;

/// <summary>
/// The request orchestration and its activities as Durable Functions: each function hands over to the same class the
/// stand-alone host's Durable Task worker runs (the SDK's source generator that would write these is not available).
/// The work a step's decisions commit goes back to the orchestration in the step's result, so the activities need no
/// Durable client. A step that keeps stopping the worker is given up rather than run for ever (<see cref="ActivityStepGuard"/>).
/// </summary>
public sealed class RequestOrchestrationFunctions(
    RunWorkItemActivity runWorkItem,
    GiveUpWorkItemActivity giveUp,
    PlannedTimerDueActivity plannedTimerDue,
    RunSourceStepActivity sourceStep,
    CheckRequestActivity check,
    AwaitCommitActivity awaitCommit,
    EndRunActivity endRun,
    ActivityStepGuard guard)
{
    [Function(RequestOrchestrator.Name)]
    public static Task<string> RequestOrchestration([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new RequestOrchestrator().RunAsync(context, context.GetInput<RequestRun>()!);
    }

    [Function(RunWorkItemActivity.Name)]
    public Task<WorkOutcome> RunWorkItem([ActivityTrigger] WorkStep step, CancellationToken cancellationToken) =>
        guard.RunAsync(RunWorkItemActivity.Name, step.RequestId, step, () => runWorkItem.CarryOutAsync(step, cancellationToken));

    // Each journey step (JourneySteps.StepActivities) runs its work item the same way, under the name the history reads by.
    [Function(JourneySteps.SendEmail)]
    public Task<WorkOutcome> SendEmail([ActivityTrigger] WorkStep step, CancellationToken cancellationToken) =>
        guard.RunAsync(JourneySteps.SendEmail, step.RequestId, step, () => runWorkItem.CarryOutAsync(step, cancellationToken));

    // Each source's step (JourneySteps.SourceStepActivities) runs from the request's stage, under the name of what it does.
    [Function(RunSourceStepActivity.Name)]
    public Task<WorkOutcome> RunSourceStep([ActivityTrigger] SourceStepRun step, CancellationToken cancellationToken) =>
        guard.RunAsync(RunSourceStepActivity.Name, step.RequestId, step, () => sourceStep.CarryOutAsync(step, cancellationToken));

    [Function(JourneySteps.SearchSource)]
    public Task<WorkOutcome> SearchSource([ActivityTrigger] SourceStepRun step, CancellationToken cancellationToken) =>
        guard.RunAsync(JourneySteps.SearchSource, step.RequestId, step, () => sourceStep.CarryOutAsync(step, cancellationToken));

    [Function(JourneySteps.CarryOutAtSource)]
    public Task<WorkOutcome> CarryOutAtSource([ActivityTrigger] SourceStepRun step, CancellationToken cancellationToken) =>
        guard.RunAsync(JourneySteps.CarryOutAtSource, step.RequestId, step, () => sourceStep.CarryOutAsync(step, cancellationToken));

    [Function(JourneySteps.PrepareOrDeleteExport)]
    public Task<WorkOutcome> PrepareOrDeleteExport([ActivityTrigger] WorkStep step, CancellationToken cancellationToken) =>
        guard.RunAsync(JourneySteps.PrepareOrDeleteExport, step.RequestId, step, () => runWorkItem.CarryOutAsync(step, cancellationToken));

    [Function(JourneySteps.AddToSuppressionList)]
    public Task<WorkOutcome> AddToSuppressionList([ActivityTrigger] WorkStep step, CancellationToken cancellationToken) =>
        guard.RunAsync(JourneySteps.AddToSuppressionList, step.RequestId, step, () => runWorkItem.CarryOutAsync(step, cancellationToken));

    [Function(JourneySteps.LiftRestriction)]
    public Task<WorkOutcome> ReleaseRestrictedRecords([ActivityTrigger] WorkStep step, CancellationToken cancellationToken) =>
        guard.RunAsync(JourneySteps.LiftRestriction, step.RequestId, step, () => runWorkItem.CarryOutAsync(step, cancellationToken));

    [Function(JourneySteps.PublishEvent)]
    public Task<WorkOutcome> PublishEvent([ActivityTrigger] WorkStep step, CancellationToken cancellationToken) =>
        guard.RunAsync(JourneySteps.PublishEvent, step.RequestId, step, () => runWorkItem.CarryOutAsync(step, cancellationToken));

    [Function(GiveUpWorkItemActivity.Name)]
    public Task<WorkOutcome> GiveUpWorkItem([ActivityTrigger] WorkStep step, CancellationToken cancellationToken) =>
        giveUp.CarryOutAsync(step, cancellationToken);

    // Each timer the request keeps runs, when it fires, under the name of what it does (JourneySteps.TimerActivities).
    [Function(PlannedTimerDueActivity.Name)]
    public Task<WorkOutcome> PlannedTimerDue([ActivityTrigger] PlannedTimerStep step, CancellationToken cancellationToken) =>
        plannedTimerDue.CarryOutAsync(step, cancellationToken);

    [Function(JourneySteps.RemindToConfirm)]
    public Task<WorkOutcome> RemindToConfirm([ActivityTrigger] PlannedTimerStep step, CancellationToken cancellationToken) =>
        plannedTimerDue.CarryOutAsync(step, cancellationToken);

    [Function(JourneySteps.ExpireUnconfirmed)]
    public Task<WorkOutcome> ExpireUnconfirmed([ActivityTrigger] PlannedTimerStep step, CancellationToken cancellationToken) =>
        plannedTimerDue.CarryOutAsync(step, cancellationToken);

    [Function(JourneySteps.RemindApprovers)]
    public Task<WorkOutcome> RemindApprovers([ActivityTrigger] PlannedTimerStep step, CancellationToken cancellationToken) =>
        plannedTimerDue.CarryOutAsync(step, cancellationToken);

    [Function(JourneySteps.EscalateApproval)]
    public Task<WorkOutcome> EscalateApproval([ActivityTrigger] PlannedTimerStep step, CancellationToken cancellationToken) =>
        plannedTimerDue.CarryOutAsync(step, cancellationToken);

    [Function(JourneySteps.RemindToAnswer)]
    public Task<WorkOutcome> RemindToAnswer([ActivityTrigger] PlannedTimerStep step, CancellationToken cancellationToken) =>
        plannedTimerDue.CarryOutAsync(step, cancellationToken);

    [Function(JourneySteps.ReportUnanswered)]
    public Task<WorkOutcome> ReportUnanswered([ActivityTrigger] PlannedTimerStep step, CancellationToken cancellationToken) =>
        plannedTimerDue.CarryOutAsync(step, cancellationToken);

    [Function(JourneySteps.RemindOfDeadline)]
    public Task<WorkOutcome> RemindOfDeadline([ActivityTrigger] PlannedTimerStep step, CancellationToken cancellationToken) =>
        plannedTimerDue.CarryOutAsync(step, cancellationToken);

    [Function(JourneySteps.MarkOverdue)]
    public Task<WorkOutcome> MarkOverdue([ActivityTrigger] PlannedTimerStep step, CancellationToken cancellationToken) =>
        plannedTimerDue.CarryOutAsync(step, cancellationToken);

    [Function(JourneySteps.RemindSourceOwner)]
    public Task<WorkOutcome> RemindSourceOwner([ActivityTrigger] PlannedTimerStep step, CancellationToken cancellationToken) =>
        plannedTimerDue.CarryOutAsync(step, cancellationToken);

    [Function(JourneySteps.RecordNoAnswer)]
    public Task<WorkOutcome> RecordNoAnswer([ActivityTrigger] PlannedTimerStep step, CancellationToken cancellationToken) =>
        plannedTimerDue.CarryOutAsync(step, cancellationToken);

    [Function(JourneySteps.SearchAgain)]
    public Task<WorkOutcome> SearchAgain([ActivityTrigger] PlannedTimerStep step, CancellationToken cancellationToken) =>
        plannedTimerDue.CarryOutAsync(step, cancellationToken);

    [Function(JourneySteps.LiftRestrictionAfterNotice)]
    public Task<WorkOutcome> LiftRestrictionAfterNotice([ActivityTrigger] PlannedTimerStep step, CancellationToken cancellationToken) =>
        plannedTimerDue.CarryOutAsync(step, cancellationToken);

    [Function(CheckRequestActivity.Name)]
    public Task<WorkOutcome> CheckRequest([ActivityTrigger] string requestId, CancellationToken cancellationToken) =>
        check.CarryOutAsync(requestId, cancellationToken);

    [Function(AwaitCommitActivity.Name)]
    public Task<WorkOutcome> AwaitCommit([ActivityTrigger] AnnouncedCommit commit, CancellationToken cancellationToken) =>
        awaitCommit.CarryOutAsync(commit, cancellationToken);

    [Function(EndRunActivity.Name)]
    public Task<WorkOutcome> EndRun([ActivityTrigger] string requestId, CancellationToken cancellationToken) =>
        endRun.CarryOutAsync(requestId, cancellationToken);
}
