namespace DataRights.Core.Sources;

/// <summary>
/// One bounded purge step in one category of a source: remove at most <see cref="BatchSize"/> records
/// dated before <see cref="Cutoff"/>, sparing everyone whose subject hash is in <see cref="HeldSubjects"/>
/// (legal holds on a person, <see cref="Registry.LegalHold.HashSubject"/>). A dry run removes nothing and
/// counts everything that would go, without a bound.
/// </summary>
public sealed record PurgeCommand(string Category, DateOnly Cutoff, int BatchSize, bool DryRun, IReadOnlySet<string> HeldSubjects);
