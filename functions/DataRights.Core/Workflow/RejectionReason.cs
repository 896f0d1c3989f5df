namespace DataRights.Core.Workflow;

/// <summary>Why a request was refused or closed without being carried out.</summary>
public enum RejectionReason
{
    InsufficientVerification,
    NoMatch,
    ManifestlyUnfounded,
    Excessive,
    OutsideJurisdiction,
    Duplicate,
    Withdrawn,
    Other,
}
