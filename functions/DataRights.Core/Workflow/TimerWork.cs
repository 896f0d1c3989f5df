using System.Globalization;
using DataRights.Core.Requests;

namespace DataRights.Core.Workflow;

/// <summary>
/// Which timers still matter. Every timer is kept by the request itself (<see cref="RequestProgress.PlannedTimers"/>):
/// its orchestration waits for those the request still waits for (<see cref="Waiting"/>) on durable timers of its own,
/// and lets go of the others as the request moves on (a wait for a person ends with its stage, a due date's reminders
/// once the due date has moved, all but a restriction's lift at the close), instead of waiting days or weeks for them
/// to change nothing.
/// </summary>
public static class TimerWork
{
    private static readonly Dictionary<string, TimerKind> ByKebab =
        Enum.GetValues<TimerKind>().ToDictionary(k => Kebab.Of(k), StringComparer.Ordinal);

    private const string Marker = ":timer:";

    /// <summary>The kind of timer <paramref name="workItemId"/> (<c>{request}:timer:{kind}:{tag}</c>) is; null when it is not a timer's id.</summary>
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

    /// <summary>
    /// Whether a timer of <paramref name="kind"/> is kept by the request (<see cref="RequestProgress.PlannedTimers"/>),
    /// its orchestration waiting for it on a timer of its own: true of every kind, as each belongs to a wait: the waits for a person
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

    // The wait a timer belongs to (a new kind must say which; a Core test pins that every kind does).
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

    // Whether the request waits in status, in the round the timer's tag names.
    private static bool WaitsIn(RequestStatus current, RequestStatus status, int round, string tag) =>
        current == status && string.Equals(tag, round.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    // The due date a deadline timer was set for: what follows the '@' of its tag (<c>7d@2026-12-23</c>, <c>@2026-12-30</c>).
    private static DateOnly? DueDateOf(string tag)
    {
        var at = tag.IndexOf('@', StringComparison.Ordinal);
        return at >= 0 && DateOnly.TryParseExact(tag[(at + 1)..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
    }
}
