namespace DataRights.Core.Agents;

/// <summary>
/// A retention purge for an agent to run in one category of one of its sources: every record dated before
/// <see cref="Cutoff"/>, in local batches of <see cref="BatchSize"/>, sparing people under a legal hold
/// (<see cref="HeldSubjects"/>, hashes only). A dry run removes nothing and counts what would go.
/// </summary>
public sealed record AgentPurgeOrder(string Category, DateOnly Cutoff, int BatchSize, bool DryRun, IReadOnlyList<string> HeldSubjects);
