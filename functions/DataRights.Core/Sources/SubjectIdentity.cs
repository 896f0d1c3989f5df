namespace DataRights.Core.Sources;

/// <summary>What a connector searches by. Handed to connectors only, never logged or queued.</summary>
public sealed record SubjectIdentity(string Email, string FullName, string? AccountReference);
