using DataRights.Core.Retention;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;

namespace DataRights.Host.Retention;

/// <summary>What a purge run has left to do at one source: the rules whose lines are not final, and the follow-up erasures due there.</summary>
public sealed record SourcePlan(
    IDataSourceConnector Connector,
    SourceRegistration? Registration,
    IReadOnlyList<RetentionRule> PendingRules,
    IReadOnlyList<FollowUpErasure> PendingFollowUps);
