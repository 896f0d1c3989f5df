using DataRights.Core.Requests;
using DataRights.Core.Text;

namespace DataRights.Core.Ports;

/// <summary>
/// What the inbox asks the index for. Each field left null matches everything. <see cref="Email"/> is an address as
/// intake normalises it: the index compares only a keyed hash of it. <see cref="ReferencePrefix"/> matches a reference
/// whole or its start, without regard to case.
/// </summary>
public sealed record InboxFilter
{
    public RequestStatus? Status { get; init; }

    /// <summary>Any of these statuses (the "waiting on" filter); null: any status.</summary>
    public IReadOnlyCollection<RequestStatus>? AnyOfStatuses { get; init; }

    public RequestType? Type { get; init; }

    public Jurisdiction? Jurisdiction { get; init; }

    /// <summary>Due strictly before this date (overdue).</summary>
    public DateOnly? DueBefore { get; init; }

    public string? ReferencePrefix { get; init; }

    public string? Email { get; init; }

    /// <summary>
    /// The search box's text as a filter: an email address (the whole address) or a reference (whole or its start);
    /// null when there is nothing to search.
    /// </summary>
    public InboxFilter WithSearch(string? search) =>
        string.IsNullOrWhiteSpace(search) ? this
        : search.Contains('@', StringComparison.Ordinal)
            ? this with { Email = EmailAddress.TryNormalize(search, out var email) ? email : search.Trim().ToLowerInvariant() }
            : this with { ReferencePrefix = search.Trim().ToUpperInvariant() };

    /// <summary>Whether <paramref name="request"/> itself (not its index entry) passes the filter and is open.</summary>
    public bool Matches(DataSubjectRequest request) =>
        !RequestLifecycle.IsFinal(request.Status)
        && (Status is null || request.Status == Status)
        && (AnyOfStatuses is null || AnyOfStatuses.Contains(request.Status))
        && (Type is null || request.Type == Type)
        && (Jurisdiction is null || request.Jurisdiction == Jurisdiction)
        && (DueBefore is null || request.Deadline.DueOn < DueBefore)
        && (ReferencePrefix is null || request.Reference.StartsWith(ReferencePrefix, StringComparison.OrdinalIgnoreCase))
        && (Email is null || string.Equals(request.Email, Email, StringComparison.Ordinal));
}
