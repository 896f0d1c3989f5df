using System.Text.Json.Serialization;
using DataRights.Core.Verification;

namespace DataRights.Core.Sources;

/// <summary>What a connector searches by. Handed to connectors only, never logged or queued.</summary>
public sealed record SubjectIdentity(string Email, string FullName, string? AccountReference)
{
    /// <summary>
    /// Details the requester gave to prove who they are, while they wait to be matched: a source that holds a detail's
    /// <see cref="GivenDataPoint.Field"/> reports the detail's name in <see cref="DiscoveryFindings.MatchedDataPoints"/>
    /// when the person's record holds the same value. Read only: matching changes nothing. Never serialized, so a
    /// command queued for an on-premises agent does not carry them.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<GivenDataPoint> DataPoints { get; init; } = [];

    public bool Equals(SubjectIdentity? other) =>
        other is not null && Email == other.Email && FullName == other.FullName && AccountReference == other.AccountReference
        && DataPoints.SequenceEqual(other.DataPoints);

    public override int GetHashCode() => HashCode.Combine(Email, FullName, AccountReference, DataPoints.Count);
}
