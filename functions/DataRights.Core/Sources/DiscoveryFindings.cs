using System.Text.Json.Serialization;

namespace DataRights.Core.Sources;

/// <summary>What one source holds about a person: counts and categories, never the records themselves.</summary>
public sealed record DiscoveryFindings(int RecordCount, IReadOnlyList<string> Categories, bool AccountReferenceMatched)
{
    /// <summary>The source accepted the search and will post its answer to the call's callback.</summary>
    public static DiscoveryFindings Later { get; } = new(0, [], false) { Deferred = true };

    /// <summary>
    /// The names of the requester's data points (<see cref="SubjectIdentity.DataPoints"/>) this source's records of the
    /// person match; names only, never values. Null or empty: none matched, or the source cannot match them.
    /// </summary>
    public IReadOnlyList<string>? MatchedDataPoints { get; init; }

    /// <summary>True only for <see cref="Later"/>: no answer yet.</summary>
    [JsonIgnore]
    public bool Deferred { get; private init; }
}
