namespace DataRights.Host.StaffConsole.Evidence;

/// <summary>One system's part in the request: what the search found, what was done, what was kept and why, what went wrong, who was told.</summary>
public sealed record EvidenceSource(
    string Name,
    string Found,
    IReadOnlyList<string> Done,
    IReadOnlyList<EvidenceRetention> Kept,
    IReadOnlyList<string> Problems,
    IReadOnlyList<string> RecipientsTold);
