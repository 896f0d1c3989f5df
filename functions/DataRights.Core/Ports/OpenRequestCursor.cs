using DataRights.Core.Requests;

namespace DataRights.Core.Ports;

/// <summary>
/// Where a page of open requests ends: the last request's position in the list order (due date, then received, then id).
/// The next page starts after it, so requests that close or arrive between pages shift nothing already listed.
/// </summary>
public sealed record OpenRequestCursor(DateOnly DueOn, DateTimeOffset ReceivedAt, string Id)
{
    public static OpenRequestCursor After(DataSubjectRequest request) => new(request.Deadline.DueOn, request.ReceivedAt, request.Id);

    /// <summary>Whether <paramref name="request"/> comes after this cursor in the list order.</summary>
    public bool Precedes(DataSubjectRequest request) => IsBefore(After(request));

    /// <summary>Whether this cursor comes before <paramref name="other"/> in the list order (a reader's next page moves forward).</summary>
    public bool IsBefore(OpenRequestCursor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var byDue = other.DueOn.CompareTo(DueOn);
        var byReceipt = other.ReceivedAt.CompareTo(ReceivedAt);
        return byDue > 0 || (byDue == 0 && (byReceipt > 0 || (byReceipt == 0 && string.CompareOrdinal(other.Id, Id) > 0)));
    }
}
