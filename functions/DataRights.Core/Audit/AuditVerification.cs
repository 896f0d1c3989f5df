namespace DataRights.Core.Audit;

/// <summary>The result of checking a trail: valid, or the first entry whose link does not hold.</summary>
public sealed record AuditVerification(bool IsValid, int EntryCount, long? FirstBrokenSequence, string? Problem);
