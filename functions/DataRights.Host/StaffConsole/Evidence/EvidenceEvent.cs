namespace DataRights.Host.StaffConsole.Evidence;

/// <summary>One audit entry as people read it: its number, when, who, and what happened in a sentence.</summary>
public sealed record EvidenceEvent(long Sequence, DateTimeOffset At, string Who, string What);
