namespace DataRights.Host.StaffConsole.Evidence;

/// <summary>
/// Everything a regulator asks about one request, in plain English, ready to render: the request, the statutory clock,
/// every audit entry as a sentence, whether the audit chain holds, and per system what was found, done and kept and why.
/// The only personal data in it are the requester's name and email address (it is the controller's own record).
/// </summary>
public sealed record EvidencePack(
    string RequestId,
    string Reference,
    string OperatorName,
    DateTimeOffset GeneratedAt,
    string RequesterName,
    string RequesterEmail,
    IReadOnlyList<EvidenceFact> Request,
    IReadOnlyList<EvidenceFact> Clock,
    IReadOnlyList<EvidenceEvent> Timeline,
    EvidenceChainCheck Chain,
    IReadOnlyList<EvidenceSource> Sources,
    IReadOnlyList<string> Recipients,
    string RecipientsLaw);
