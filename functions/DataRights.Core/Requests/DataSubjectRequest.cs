using DataRights.Core.Deadlines;

namespace DataRights.Core.Requests;

/// <summary>A data-subject request as stored. <see cref="Version"/> guards concurrent updates.</summary>
public sealed record DataSubjectRequest
{
    public required string Id { get; init; }

    /// <summary>The human reference, such as DR-2026-000123, quoted in every message.</summary>
    public required string Reference { get; init; }

    public required RequestType Type { get; init; }

    public required RequestStatus Status { get; init; }

    public required Jurisdiction Jurisdiction { get; init; }

    public required IntakeChannel Channel { get; init; }

    public required string Email { get; init; }

    public required string FullName { get; init; }

    public string? AccountReference { get; init; }

    public string? Details { get; init; }

    /// <summary>
    /// The details the requester gave to prove who they are, kept only until discovery has matched them against our
    /// records (then cleared). Values are personal data: never in the progress, the audit trail, logs or events.
    /// </summary>
    public IReadOnlyList<Verification.GivenDataPoint>? DataPoints { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    public required Deadline Deadline { get; init; }

    /// <summary>SHA-256 of the status link token; the token itself is never stored.</summary>
    public required string StatusTokenHash { get; init; }

    /// <summary>Identifies a repeated identical submission (see <see cref="RequestFingerprint"/>).</summary>
    public required string Fingerprint { get; init; }

    public required long Version { get; init; }

    /// <summary>The workflow's memory of this request (verification, clock ledger, sources, approval).</summary>
    public Workflow.RequestProgress Progress { get; init; } = Workflow.RequestProgress.Empty;

    /// <summary>The last audit entry written for this request (see <see cref="Audit.AuditHead"/>).</summary>
    public required Audit.AuditHead AuditHead { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>
    /// The request's orchestration has ended: the request was closed with nothing left to do, and the store marked it so
    /// (<see cref="Ports.IRequestStore.EndRunAsync"/>, which also moves the version on, so a commit decided before cannot
    /// land). Work committed afterwards starts a new orchestration instead of being announced to the one ending (which would
    /// drop it); the commit that starts it clears the mark. Not part of the request's story: the decider never reads it.
    /// </summary>
    public bool RunEnded { get; init; }
}
