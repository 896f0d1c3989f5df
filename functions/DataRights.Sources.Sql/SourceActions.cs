using DataRights.Core.Requests;
using DataRights.Core.Sources;

namespace DataRights.Host.Sources;

/// <summary>What a connector that can change records does for each action other than erasure.</summary>
internal interface IActionTarget
{
    Task<ExecutionOutcome> RectifyAsync(SubjectIdentity subject, IReadOnlyList<Correction> corrections, CancellationToken cancellationToken);

    Task<ExecutionOutcome> RestrictAsync(SubjectIdentity subject, bool lift, CancellationToken cancellationToken);

    Task<ExecutionOutcome> UnsubscribeAsync(SubjectIdentity subject, CancellationToken cancellationToken);
}

/// <summary>The one routing of request types to a connector's actions, shared by the SQL and Azure Table connectors.</summary>
internal static class SourceActions
{
    /// <summary>The outcome of any action but erasure; null for an erasure, which each connector carries out itself.</summary>
    public static Task<ExecutionOutcome>? Route(IActionTarget target, SubjectIdentity subject, RequestType action, ActionInstructions? instructions, CancellationToken cancellationToken) =>
        action switch
        {
            RequestType.Erasure => null,
            RequestType.Rectification => target.RectifyAsync(subject, instructions?.Corrections ?? [], cancellationToken),
            RequestType.Restriction => target.RestrictAsync(subject, instructions?.LiftRestriction == true, cancellationToken),
            RequestType.Objection when instructions?.Objection == ObjectionScope.DirectMarketing => target.UnsubscribeAsync(subject, cancellationToken),
            RequestType.Objection => Task.FromResult(ExecutionOutcome.Nothing with { Note = "The privacy team weighs your objection against our reasons for this processing and will write to you." }),
            _ => Task.FromResult(ExecutionOutcome.Nothing with { Note = $"This system cannot carry out {action.Name()} requests by itself; our privacy team does it by hand." }),
        };
}
