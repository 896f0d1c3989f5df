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
