using DataRights.Core.Retention;
using DataRights.Core.Sources.Registry;

namespace DataRights.Host.Retention;

/// <summary>What a step of a purge run works from, read when the step starts: the day, the policy, holds, registrations and due follow-ups.</summary>
public sealed record PurgeContext(
    PurgeRun Run,
    PurgeRegion Region,
    DateOnly Today,
    RetentionPolicy Policy,
    IReadOnlySet<string> HeldSubjects,
    IReadOnlyDictionary<string, LegalHold> SourceHolds,
    IReadOnlyList<LegalHold> ActiveHolds,
    IReadOnlyDictionary<string, SourceRegistration> Registrations,
    IReadOnlyList<FollowUpErasure> FollowUps);
