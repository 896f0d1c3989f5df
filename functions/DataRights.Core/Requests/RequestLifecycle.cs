using System.Collections.Frozen;

namespace DataRights.Core.Requests;

/// <summary>
/// The guarded transitions of a request. A transition not listed here is refused with
/// <see cref="IllegalTransitionException"/>, never silently applied.
/// </summary>
public static class RequestLifecycle
{
    private static readonly FrozenDictionary<RequestStatus, FrozenSet<RequestStatus>> Allowed =
        new Dictionary<RequestStatus, RequestStatus[]>
        {
            // Staff-entered requests whose identity was checked in person may skip verification.
            [RequestStatus.Received] = [RequestStatus.AwaitingVerification, RequestStatus.Verified, RequestStatus.Rejected],
            [RequestStatus.AwaitingVerification] = [RequestStatus.Verified, RequestStatus.Expired, RequestStatus.Rejected],
            [RequestStatus.Verified] = [RequestStatus.Discovering, RequestStatus.Rejected],
            // Back to verification when the details given did not match and the law lets us ask once more.
            [RequestStatus.Discovering] = [RequestStatus.AwaitingApproval, RequestStatus.AwaitingVerification, RequestStatus.Rejected, RequestStatus.Failed],
            [RequestStatus.AwaitingApproval] = [RequestStatus.Executing, RequestStatus.AwaitingInformation, RequestStatus.Rejected],
            [RequestStatus.AwaitingInformation] = [RequestStatus.AwaitingApproval, RequestStatus.Discovering, RequestStatus.Rejected],
            [RequestStatus.Executing] = [RequestStatus.Completed, RequestStatus.Failed],
            // A failed request waits for staff, who retry the step that failed or close it.
            [RequestStatus.Failed] = [RequestStatus.Discovering, RequestStatus.AwaitingApproval, RequestStatus.Executing, RequestStatus.Rejected],
            [RequestStatus.Completed] = [],
            [RequestStatus.Rejected] = [],
            [RequestStatus.Expired] = [],
        }.ToFrozenDictionary(p => p.Key, p => p.Value.ToFrozenSet());

    /// <summary>True when a request in <paramref name="from"/> may move to <paramref name="to"/>.</summary>
    public static bool CanMove(RequestStatus from, RequestStatus to) => Allowed[from].Contains(to);

    /// <summary>Throws <see cref="IllegalTransitionException"/> unless the move is allowed.</summary>
    public static void EnsureCanMove(RequestStatus from, RequestStatus to)
    {
        if (!CanMove(from, to))
        {
            throw new IllegalTransitionException(from, to);
        }
    }

    /// <summary>States a request never leaves.</summary>
    public static bool IsFinal(RequestStatus status) => Allowed[status].Count == 0;

    /// <summary>
    /// Where a request in <paramref name="status"/> stands, in words that follow "is" or "is still" ("This request is
    /// being carried out", "was due on ... and is still waiting for approval"): what people read, never the status's key.
    /// </summary>
    public static string Phrase(RequestStatus status) => status switch
    {
        RequestStatus.Received => "just received",
        RequestStatus.AwaitingVerification => "waiting for the requester to confirm",
        RequestStatus.Verified => "confirmed, and about to be searched for",
        RequestStatus.Discovering => "being searched for in the systems",
        RequestStatus.AwaitingApproval => "waiting for approval",
        RequestStatus.AwaitingInformation => "waiting for the requester's answer",
        RequestStatus.Executing => "being carried out",
        RequestStatus.Completed => "completed",
        RequestStatus.Rejected => "rejected",
        RequestStatus.Expired => "closed, as it was not confirmed in time",
        RequestStatus.Failed => "stopped by a failure that needs attention",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    /// <summary>The states reachable in one step from <paramref name="from"/>.</summary>
    public static IReadOnlySet<RequestStatus> NextStates(RequestStatus from) => Allowed[from];
}
