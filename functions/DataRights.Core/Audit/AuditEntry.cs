namespace DataRights.Core.Audit;

/// <summary>
/// One link of a request's append-only audit trail. <see cref="Hash"/> covers every other field
/// and the previous entry's hash, so changing or removing an entry breaks the chain.
/// Details hold facts (counts, sources, legal bases), never personal data.
/// </summary>
public sealed record AuditEntry(
    string RequestId,
    long Sequence,
    DateTimeOffset At,
    string Actor,
    string Action,
    string? FromStatus,
    string? ToStatus,
    string Details,
    string PreviousHash,
    string Hash);
