namespace DataRights.Host.StaffConsole.Evidence;

/// <summary>Records kept back: how many of what, the legal basis with the article of the requester's law, and until when.</summary>
public sealed record EvidenceRetention(string Records, string Basis, string Until);
