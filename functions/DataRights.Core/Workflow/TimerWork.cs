using System.Globalization;
using DataRights.Core.Requests;

namespace DataRights.Core.Workflow;

/// <summary>
/// Which timers still matter. Every timer is kept by the request itself (<see cref="RequestProgress.PlannedTimers"/>):
/// its orchestration waits for those the request still waits for (<see cref="Waiting"/>) on durable timers of its own,
/// and lets go of the others. Timers set as work items (<c>{request}:timer:{kind}:{tag}</c>), as every timer was before
/// 2026-12-06 (a restriction's lift until the fifteenth session), may still be stored; for those the rule of when one is
/// spent (<see cref="IsSpent(string, RequestStage)"/>) is kept: once the request is closed, the
/// decider ignores all of them but a restriction's lift; each wait for a person ends with its stage; the deadline
/// reminders and overdue notice of a due date once the due date has moved on (an extension, a pause's days). The
/// request's orchestration drops such items as the request moves on instead of waiting days or weeks for them to
/// change nothing.
/// </summary>
public static class TimerWork
{
    private static readonly Dictionary<string, TimerKind> ByKebab =
        Enum.GetValues<TimerKind>().ToDictionary(k => Kebab.Of(k), StringComparer.Ordinal);

    private const string Marker = ":timer:";

    /// <summary>The kind of timer <paramref name="workItemId"/> is; null when it is not a timer's work item.</summary>
    public static TimerKind? KindOf(string workItemId)
    {
        ArgumentNullException.ThrowIfNull(workItemId);
        var at = workItemId.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var rest = workItemId[(at + Marker.Length)..];
        var end = rest.IndexOf(':', StringComparison.Ordinal);
        return ByKebab.TryGetValue(end < 0 ? rest : rest[..end], out var kind) ? kind : null;
    }

    /// <summary>Whether a timer of <paramref name="kind"/> can still do anything once its request is closed: only a restriction's lift can.</summary>
    public static bool OutlivesTheClose(TimerKind kind) => kind == TimerKind.RestrictionLift;

    /// <summary>Whether <paramref name="workItemId"/> is a timer that can do nothing once its request is closed.</summary>
    public static bool EndsWithTheRequest(string workItemId) => KindOf(workItemId) is { } kind && !OutlivesTheClose(kind);

    /// <summary>
    /// Whether the timer <paramref name="workItemId"/> can no longer do anything for a request at <paramref name="stage"/>,
    /// nor at any later stage: the decider ignores it now (<c>RequestDecider</c>'s timer rules), and the request cannot come
    /// back to where it would act. A closed request's timers but a restriction's lift; a verification round's reminder and
    /// expiry once the request is no longer waiting for that round's confirmation (a round is entered once: a request
    /// asked for its details again waits in the next round); an approval round's reminder and escalation once the request
    /// is no longer waiting for that round's decision, and a question's reminder and notice to staff once it is no longer
    /// waiting for that round's answer (the answer opens the next approval round); a deadline reminder or overdue notice
    /// (tagged with the due date it was set for) once the due date is later than that date: the decider acts on those of
    /// the current due date only, and a due date never moves earlier (an extension and a pause's days only add time), so
    /// an earlier date's can never act again. Any other timer (a search again, an awaited answer's) is spent only at the
    /// close. Pure: orchestrators may call it.
    /// </summary>
    public static bool IsSpent(string workItemId, RequestStage stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        if (KindOf(workItemId) is not { } kind || OutlivesTheClose(kind))
        {
            return false;
        }

        if (RequestLifecycle.IsFinal(stage.Status))
        {
            return true;
        }

        return kind switch
        {
            TimerKind.VerificationReminder or TimerKind.VerificationExpiry => !WaitsIn(stage.Status, RequestStatus.AwaitingVerification, stage.VerificationRound, TagOf(workItemId)),
            TimerKind.ApprovalReminder or TimerKind.ApprovalEscalation => !WaitsIn(stage.Status, RequestStatus.AwaitingApproval, stage.ApprovalRound, TagOf(workItemId)),
            TimerKind.InformationReminder or TimerKind.InformationUnanswered => !WaitsIn(stage.Status, RequestStatus.AwaitingInformation, stage.ApprovalRound, TagOf(workItemId)),
            TimerKind.DeadlineReminder or TimerKind.Overdue => stage.DueOn is { } due && DueDateOf(TagOf(workItemId)) is { } date && date < due,
            _ => false,
        };
    }

    /// <summary>
    /// Whether a timer of <paramref name="kind"/> is kept by the request (<see cref="RequestProgress.PlannedTimers"/>),
    /// its orchestration waiting for it on a timer of its own, rather than set as a work item: the waits for a person
    /// (verification, approval, a question), a source's awaited answer, a search again, the statutory deadline's, and a
    /// restriction's lift (which outlives the close: a closed request's run stays open while it waits).
    /// </summary>
    public static bool KeptByTheRequest(TimerKind kind) => WaitOf(kind) is not null;

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> belong to the same wait (a reminder and the wait's end).</summary>
    public static bool SameWait(TimerKind a, TimerKind b) => WaitOf(a) is { } wait && wait == WaitOf(b);

    /// <summary>
    /// Whether planning <paramref name="planned"/> for <paramref name="request"/> (as it stands) replaces the timer it
    /// keeps already, <paramref name="existing"/>: the same timer set again; of a wait entered by rounds (confirming,
    /// approval, a question, a search again), its timers of another round; of a source's awaited answer (several may
    /// wait at once), those whose step no longer waits or that have acted. So the list stays as short as what can
    /// still wait.
    /// </summary>
    public static bool Replaces(PlannedTimer planned, PlannedTimer existing, DataSubjectRequest request)
    {
        ArgumentNullException.ThrowIfNull(planned);
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(request);
        if (existing.Key == planned.Key)
        {
            return true;
        }

        if (!SameWait(existing.Kind, planned.Kind))
        {
            return false;
        }

        return WaitOf(planned.Kind) == Wait.Answer
            ? request.Progress.Sent.Contains(existing.Key, StringComparer.Ordinal) || !StillWaits(existing, request)
            : existing.Tag != planned.Tag;
    }

    /// <summary>
    /// The timers <paramref name="request"/> waits for as it stands (<see cref="RequestProgress.PlannedTimers"/>), those
    /// the decider would act on (its timer rules): none once the request is closed but a restriction's lift not yet
    /// run, nor one that has acted; a wait's
    /// timers while the request waits in that wait's round (a verification round's while it waits for that round's
    /// confirmation, an approval round's for its decision, a question's for its answer); the deadline's, of the current
    /// due date, unless the request is overdue or its clock stands still (they are planned again when it runs). Pure:
    /// orchestrators may call it.
    /// </summary>
    public static IReadOnlyList<PlannedTimer> Waiting(DataSubjectRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var closed = RequestLifecycle.IsFinal(request.Status);
        var progress = request.Progress;
        return [.. progress.PlannedTimers.Where(t => (!closed || OutlivesTheClose(t.Kind)) && !progress.Sent.Contains(t.Key, StringComparer.Ordinal) && StillWaits(t, request))];
    }

    private static bool StillWaits(PlannedTimer timer, DataSubjectRequest request)
    {
        var progress = request.Progress;
        return WaitOf(timer.Kind) switch
        {
            Wait.Verification => WaitsIn(request.Status, RequestStatus.AwaitingVerification, RequestDecider.VerificationRoundOf(request), timer.Tag),
            Wait.Approval => WaitsIn(request.Status, RequestStatus.AwaitingApproval, progress.ApprovalRound, timer.Tag),
            Wait.Information => WaitsIn(request.Status, RequestStatus.AwaitingInformation, progress.ApprovalRound, timer.Tag),
            Wait.Deadline => !progress.Overdue && !StatutoryClock.IsPaused(progress) && DueDateOf(timer.Tag) == request.Deadline.DueOn,
            Wait.Answer => RequestDecider.AwaitsAnswer(request, timer.Tag),
            Wait.SearchAgain => RequestDecider.SearchesAgainIn(request, timer.Tag),
            Wait.Lift => progress.Restriction is { LiftAt: not null, LiftedAt: null },
            _ => false,
        };
    }

    private enum Wait
    {
        Verification,
        Approval,
        Information,
        Deadline,
        Answer,
        SearchAgain,
        Lift,
    }

    // The wait a kept timer belongs to; null for a timer set as a work item.
    private static Wait? WaitOf(TimerKind kind) => kind switch
    {
        TimerKind.VerificationReminder or TimerKind.VerificationExpiry => Wait.Verification,
        TimerKind.ApprovalReminder or TimerKind.ApprovalEscalation => Wait.Approval,
        TimerKind.InformationReminder or TimerKind.InformationUnanswered => Wait.Information,
        TimerKind.DeadlineReminder or TimerKind.Overdue => Wait.Deadline,
        TimerKind.AnswerReminder or TimerKind.AnswerOverdue => Wait.Answer,
        TimerKind.SearchAgain => Wait.SearchAgain,
        TimerKind.RestrictionLift => Wait.Lift,
        _ => null,
    };

    /// <summary>Whether <paramref name="request"/> as it stands has no more use for the timer <paramref name="workItemId"/> (see <see cref="IsSpent(string, RequestStage)"/>).</summary>
    public static bool IsSpent(string workItemId, DataSubjectRequest request) => IsSpent(workItemId, RequestStage.Of(request));

    // Whether the request waits in status, in the round the timer's tag names.
    private static bool WaitsIn(RequestStatus current, RequestStatus status, int round, string tag) =>
        current == status && string.Equals(tag, round.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    // The due date a deadline timer was set for: what follows the '@' of its tag (<c>7d@2026-12-23</c>, <c>@2026-12-30</c>).
    private static DateOnly? DueDateOf(string tag)
    {
        var at = tag.IndexOf('@', StringComparison.Ordinal);
        return at >= 0 && DateOnly.TryParseExact(tag[(at + 1)..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
    }

    // The timer's tag: what follows its kind (<c>{request}:timer:{kind}:{tag}</c>); empty when there is none.
    private static string TagOf(string workItemId)
    {
        var rest = workItemId[(workItemId.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length)..];
        var end = rest.IndexOf(':', StringComparison.Ordinal);
        return end < 0 ? string.Empty : rest[(end + 1)..];
    }
}
