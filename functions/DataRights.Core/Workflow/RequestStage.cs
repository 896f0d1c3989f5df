using DataRights.Core.Requests;

namespace DataRights.Core.Workflow;

/// <summary>
/// Where a request is on its journey, as far as its orchestration is concerned (its timers, its sources' steps): its status, the verification round and the
/// approval round it is in, its due date, and the version of the request this was read from (a later version is the
/// later stage). Ids, numbers, a date and a status only: it travels in a request orchestration's history.
/// </summary>
public sealed record RequestStage(RequestStatus Status, int VerificationRound, int ApprovalRound, long Version)
{
    /// <summary>The request's due date at this stage; null when not known (a stage recorded before it was carried).</summary>
    public DateOnly? DueOn { get; init; }

    /// <summary>
    /// The timers the request waits for at this stage (<see cref="TimerWork.Waiting"/>): its orchestration keeps a
    /// durable timer for each, and lets go of one the stage no longer lists.
    /// </summary>
    public IReadOnlyList<PlannedTimer> Timers { get; init; } = [];

    /// <summary>
    /// The source steps the request waits to have run at this stage (<see cref="RequestDecider.StepsToRun"/>): its
    /// orchestration runs each, side by side.
    /// </summary>
    public IReadOnlyList<PendingSourceStep> Steps { get; init; } = [];

    /// <summary>The stage <paramref name="request"/> stands at.</summary>
    public static RequestStage Of(DataSubjectRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new RequestStage(request.Status, RequestDecider.VerificationRoundOf(request), request.Progress.ApprovalRound, request.Version)
        {
            DueOn = request.Deadline.DueOn,
            Timers = TimerWork.Waiting(request),
            Steps = RequestDecider.StepsToRun(request),
        };
    }
}
