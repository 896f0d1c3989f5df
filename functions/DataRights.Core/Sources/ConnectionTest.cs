namespace DataRights.Core.Sources;

/// <summary>Whether a source answered, in words staff can act on, never containing a secret.</summary>
public sealed record ConnectionTest(bool Reachable, string Detail);
