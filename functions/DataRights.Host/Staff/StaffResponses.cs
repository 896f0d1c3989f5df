namespace DataRights.Host.Staff;

/// <summary>A request as staff see it, personal data included.</summary>
public sealed record StaffRequestResponse(
    string Id,
    string Reference,
    string Type,
    string Status,
    string Jurisdiction,
    string Channel,
    string Email,
    string FullName,
    string? AccountReference,
    string? Details,
    DateTimeOffset ReceivedAt,
    string Regime,
    DateOnly ReceivedOn,
    DateOnly DueDate,
    DateOnly? AcknowledgeBy,
    long Version,
    DataRights.Core.Workflow.RequestProgress Progress)
{
    public static StaffRequestResponse From(DataRights.Core.Requests.DataSubjectRequest r) => new(
        r.Id, r.Reference, DataRights.Core.Requests.WireNames.Name(r.Type), DataRights.Core.Requests.WireNames.Name(r.Status),
        DataRights.Core.Requests.WireNames.Name(r.Jurisdiction), DataRights.Core.Requests.WireNames.Name(r.Channel), r.Email, r.FullName,
        r.AccountReference, r.Details, r.ReceivedAt, r.Deadline.RegimeKey, r.Deadline.ReceivedOn, r.Deadline.DueOn, r.Deadline.AcknowledgeBy, r.Version, r.Progress);
}

/// <summary>One request's audit trail with the result of checking its hash chain.</summary>
public sealed record AuditTrailResponse(
    string RequestId,
    bool ChainValid,
    int EntryCount,
    long? FirstBrokenSequence,
    string? Problem,
    IReadOnlyList<AuditEntryResponse> Entries);

public sealed record AuditEntryResponse(
    long Sequence,
    DateTimeOffset At,
    string Actor,
    string Action,
    string? FromStatus,
    string? ToStatus,
    System.Text.Json.JsonElement Details,
    string PreviousHash,
    string Hash);
