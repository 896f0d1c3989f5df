namespace DataRights.Host.Links;

/// <summary>What a signed link says: what it is for, which request and step, for whom, until when, and its single-use nonce.</summary>
public sealed record LinkClaims(
    string Purpose,
    string RequestId,
    string Step,
    string RecipientHash,
    DateTimeOffset ExpiresAt,
    string Nonce,
    string KeyId);

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
