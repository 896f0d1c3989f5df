namespace DataRights.Host.StaffConsole.Evidence;

/// <summary>
/// The check of the request's hash-chained audit trail: whether it holds, or the first entry at which it breaks, and
/// the last entry as the request itself records it (its number and hash), which the trail must end at.
/// </summary>
public sealed record EvidenceChainCheck(bool Holds, int EntryCount, long? BrokenAt, string Summary, long HeadSequence, string HeadHash);
