using System.Globalization;
using DataRights.Core.Audit;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;

namespace DataRights.Core.Ports;

/// <summary>
/// What every store writes for a new request, built once here so the adapters agree: the request with
/// its reference, the "received" audit entry, then what the first decision says (state, with the work it owes, and audit).
/// </summary>
public sealed record FirstWrite(DataSubjectRequest Stored, IReadOnlyList<AuditEntry> Entries)
{
    public static FirstWrite Prepare(NewRequest request, string reference, Func<DataSubjectRequest, Decision> start)
    {
        var receivedDraft = new AuditDraft(
            request.ReceivedAt,
            request.Actor,
            AuditActions.Received,
            FromStatus: null,
            ToStatus: RequestStatus.Received.Name(),
            new Dictionary<string, string?>
            {
                ["type"] = request.Intake.Type.Name(),
                ["jurisdiction"] = request.Intake.Jurisdiction.Name(),
                ["channel"] = request.Channel.Name(),
                ["regime"] = request.Deadline.RegimeKey,
                ["dueOn"] = request.Deadline.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            });
        var received = new DataSubjectRequest
        {
            Id = request.Id,
            Reference = reference,
            Type = request.Intake.Type,
            Status = RequestStatus.Received,
            Jurisdiction = request.Intake.Jurisdiction,
            Channel = request.Channel,
            Email = request.Intake.Email,
            FullName = request.Intake.FullName,
            AccountReference = request.Intake.AccountReference,
            Details = request.Intake.Details,
            DataPoints = request.DataPoints,
            ReceivedAt = request.ReceivedAt,
            Deadline = request.Deadline,
            StatusTokenHash = request.StatusTokenHash,
            Fingerprint = request.Fingerprint,
            Version = 1,
            UpdatedAt = request.ReceivedAt,
            AuditHead = new AuditHead(0, AuditChain.Genesis),
        };

        var decision = start(received);
        var (entries, head) = AuditChain.Extend(null, request.Id, [receivedDraft, .. decision.Audit]);
        var stored = (decision.Changed ? decision.Request : received) with { Version = 1, AuditHead = head! };
        // The work the first decision owes is the request's own (RequestProgress.Owed): no row of its own.
        return new FirstWrite(stored, entries);
    }
}
