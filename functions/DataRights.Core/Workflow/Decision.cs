using DataRights.Core.Audit;
using DataRights.Core.Requests;

namespace DataRights.Core.Workflow;

/// <summary>
/// The decider's answer: the request as it now stands, what to audit and what to do; or that the
/// event changes nothing (<see cref="Ignored"/>: a stale timer, a repeated delivery) or is not
/// allowed (<see cref="Refused"/>: shown to the person who asked).
/// </summary>
public sealed record Decision(
    DataSubjectRequest Request,
    IReadOnlyList<AuditDraft> Audit,
    IReadOnlyList<Effect> Effects,
    string? Ignored = null,
    string? Refused = null)
{
    public bool Changed => Ignored is null && Refused is null;

    /// <summary>
    /// The request's workflow must run after this decision even though it commits no work (it was found stopped): its
    /// commit is announced, which starts the request's orchestration again.
    /// </summary>
    public bool StartsWorkflow { get; init; }

    public static Decision Ignore(DataSubjectRequest request, string why) => new(request, [], [], Ignored: why);

    public static Decision Refuse(DataSubjectRequest request, string why) => new(request, [], [], Refused: why);
}
