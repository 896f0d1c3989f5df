namespace DataRights.Core.Audit;

/// <summary>An audit entry before it is chained: what the decider says happened.</summary>
public sealed record AuditDraft(
    DateTimeOffset At,
    string Actor,
    string Action,
    string? FromStatus,
    string? ToStatus,
    IReadOnlyDictionary<string, string?>? Details = null);
