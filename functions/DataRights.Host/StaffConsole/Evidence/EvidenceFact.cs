namespace DataRights.Host.StaffConsole.Evidence;

/// <summary>One labelled fact of the evidence pack ("Received", "Tuesday 3 November 2026 at 09:00 UTC").</summary>
public sealed record EvidenceFact(string Label, string Value);
