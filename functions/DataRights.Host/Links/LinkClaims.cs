using DataRights.Core.Requests;
using DataRights.Core.Workflow;

namespace DataRights.Host.Links;

/// <summary>What a signed link says: what it is for, which request and step, for whom, until when, and its single-use nonce.</summary>
public sealed record LinkClaims(
    string Purpose,
    string RequestId,
    string Step,
    string RecipientHash,
    DateTimeOffset ExpiresAt,
    string Nonce,
    string KeyId)
{
    /// <summary>The step and round the link was issued for; null when it names none we act on.</summary>
    public ActionStep? ActionStep => Core.Workflow.ActionStep.Parse(Step);

    /// <summary>
    /// The one check every emailed action passes, on the page (GET) and again when its form is posted: the link's step
    /// and round are the ones the request waits at now, and the link has not been used. The workflow checks the same
    /// again when the decision arrives, so a link that goes stale between the two still changes nothing.
    /// </summary>
    public bool AppliesTo(DataSubjectRequest request) =>
        ActionStep is { } step && RequestDecider.IsCurrent(request, step) && !request.Progress.UsedLinkNonces.Contains(Nonce);
}

/// <summary>Why a link was refused.</summary>
public enum LinkProblem
{
    None,
    Malformed,
    UnknownKey,
    BadSignature,
    Expired,
    WrongPurpose,
}
