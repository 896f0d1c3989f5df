namespace DataRights.Core.Sources;

/// <summary>What one source holds about a person: counts and categories, never the records themselves.</summary>
public sealed record DiscoveryFindings(int RecordCount, IReadOnlyList<string> Categories, bool AccountReferenceMatched);
