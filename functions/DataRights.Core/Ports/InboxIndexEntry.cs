using DataRights.Core.Requests;

namespace DataRights.Core.Ports;

/// <summary>
/// One open request in the inbox index: its id, its position in the inbox order and the fields the inbox filters on
/// (as of the request's last indexed commit). <see cref="Tag"/> identifies this version of the entry.
/// </summary>
public sealed record InboxIndexEntry(
    string RequestId,
    DateOnly DueOn,
    DateTimeOffset ReceivedAt,
    string Reference,
    RequestStatus Status,
    RequestType Type,
    Jurisdiction Jurisdiction,
    string? Tag = null)
{
    public OpenRequestCursor Cursor => new(DueOn, ReceivedAt, RequestId);

    /// <summary>Whether the entry still describes <paramref name="request"/>: same position, status, right and place.</summary>
    public bool Describes(DataSubjectRequest request) =>
        string.Equals(request.Id, RequestId, StringComparison.Ordinal)
        && request.Deadline.DueOn == DueOn
        && request.ReceivedAt == ReceivedAt
        && request.Status == Status
        && request.Type == Type
        && request.Jurisdiction == Jurisdiction
        && string.Equals(request.Reference, Reference, StringComparison.Ordinal);
}
