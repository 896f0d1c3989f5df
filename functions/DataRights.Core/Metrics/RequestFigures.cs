using DataRights.Core.Deadlines;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;

namespace DataRights.Core.Metrics;

/// <summary>
/// What the staff metrics need of one request, and nothing personal: no name, email, reference or details.
/// <see cref="ReceivedOn"/> and <see cref="DueOn"/> are local dates of the request's regime (the statutory days);
/// <see cref="ClosedAt"/> is when the request reached a final status (null while open, and for a final request whose
/// closing time is not known).
/// </summary>
public sealed record RequestFigures(
    string Id,
    RequestType Type,
    Jurisdiction Jurisdiction,
    RequestStatus Status,
    DateTimeOffset ReceivedAt,
    DateOnly ReceivedOn,
    DateOnly DueOn,
    DateTimeOffset? ClosedAt,
    bool Extended,
    bool ClockStopped,
    bool CompletedInPart,
    RejectionReason? Rejection)
{
    /// <summary>A request set aside, not taken in, that staff handled by hand outside DataRights (<see cref="HandledSubmission"/>).</summary>
    public bool HandledByHand { get; init; }

    /// <summary>A request received but set aside, not taken in (its taking in kept failing), its deadline running: open.</summary>
    public bool SetAside { get; init; }

    /// <summary>
    /// The figures of a request received but set aside, not taken in (<see cref="ReceivedSubmission.SetAside"/>): open,
    /// received when it arrived, due by its place's clock counted from then (under <paramref name="defaultJurisdiction"/>
    /// when it named none). Null when its right or place is not one DataRights knows.
    /// </summary>
    public static RequestFigures? OfSetAside(ReceivedSubmission received, string defaultJurisdiction, DeadlineRegimes regimes, DeadlineCalculator calculator)
    {
        ArgumentNullException.ThrowIfNull(received);
        ArgumentNullException.ThrowIfNull(regimes);
        ArgumentNullException.ThrowIfNull(calculator);
        if (!WireNames.TryParseSentType(received.Submission.Type, out var type)
            || !WireNames.TryParseSentJurisdiction(received.Submission.Jurisdiction ?? defaultJurisdiction, out var jurisdiction))
        {
            return null;
        }

        var deadline = calculator.Compute(regimes.For(jurisdiction), received.ReceivedAt);
        return new RequestFigures(
            received.Id, type, jurisdiction, RequestStatus.Received, received.ReceivedAt, deadline.ReceivedOn, deadline.DueOn,
            ClosedAt: null, Extended: false, ClockStopped: false, CompletedInPart: false, Rejection: null)
        {
            SetAside = true,
        };
    }

    /// <summary>
    /// The figures of a request set aside that staff handled by hand: received when it arrived, due by its place's clock
    /// counted from then, closed on the day they say the person was answered, completed (in part) or rejected as they say
    /// (withdrawn by the person: rejected as withdrawn, neither complied with nor denied). Null when its right or place is
    /// not one DataRights knows (validated when it came, so only for a record from another version).
    /// </summary>
    public static RequestFigures? OfHandled(HandledSubmission handled, DeadlineRegimes regimes, DeadlineCalculator calculator)
    {
        ArgumentNullException.ThrowIfNull(handled);
        ArgumentNullException.ThrowIfNull(regimes);
        ArgumentNullException.ThrowIfNull(calculator);
        if (!WireNames.TryParseSentType(handled.Type, out var type) || !WireNames.TryParseSentJurisdiction(handled.Jurisdiction, out var jurisdiction))
        {
            return null;
        }

        var deadline = calculator.Compute(regimes.For(jurisdiction), handled.ReceivedAt);
        var refused = handled.Outcome is HandledOutcome.Refused or HandledOutcome.Withdrawn;
        return new RequestFigures(
            handled.SubmissionId,
            type,
            jurisdiction,
            refused ? RequestStatus.Rejected : RequestStatus.Completed,
            handled.ReceivedAt,
            deadline.ReceivedOn,
            deadline.DueOn,
            // Noon UTC is the same day on the calendar of every place DataRights serves (each within 12 hours of UTC).
            new DateTimeOffset(handled.AnsweredOn, new TimeOnly(12, 0), TimeSpan.Zero),
            Extended: false,
            ClockStopped: false,
            CompletedInPart: handled.Outcome == HandledOutcome.DoneInPart,
            handled.Outcome switch
            {
                HandledOutcome.Refused => RejectionReason.Other,
                HandledOutcome.Withdrawn => RejectionReason.Withdrawn,
                _ => null,
            })
        {
            HandledByHand = true,
        };
    }

    /// <summary>The figures of <paramref name="request"/> as it stands; <paramref name="closedAt"/> comes from where the closing was recorded.</summary>
    public static RequestFigures Of(DataSubjectRequest request, DateTimeOffset? closedAt) => new(
        request.Id,
        request.Type,
        request.Jurisdiction,
        request.Status,
        request.ReceivedAt,
        request.Deadline.ReceivedOn,
        request.Deadline.DueOn,
        RequestLifecycle.IsFinal(request.Status) ? closedAt : null,
        request.Progress.Extension is not null,
        StatutoryClock.IsPaused(request.Progress),
        IsCompletedInPart(request),
        request.Status == RequestStatus.Rejected ? request.Progress.Rejection : null);

    /// <summary>
    /// A completed request that gave the person less than they asked for: some records kept back under an exemption,
    /// or (a request for specific pieces that could not be verified far enough) answered with categories only.
    /// </summary>
    public static bool IsCompletedInPart(DataSubjectRequest request) =>
        request.Status == RequestStatus.Completed
        && (RequestDecider.AnsweredWithCategories(request)
            || request.Progress.Sources.Any(s => s.Outcome is { } outcome && outcome.Retained.Sum(r => r.Count) > 0));
}
