using DataRights.Core.Sources;

namespace DataRights.Core.Agents;

/// <summary>
/// One command to an on-premises agent, as it travels on the agent's queue (sealed by <see cref="AgentEnvelope"/>, so the
/// person's details are not readable there). <see cref="CommandId"/> is the Service Bus message id: derived from the
/// request and step, so a command sent again is the same command, which the queue drops and the agent answers once.
/// The agent answers by posting to <see cref="Callback"/>, signed with the secret it shares with the pipeline, in the
/// shapes of the HTTP connector contract (docs/http-connector-contract.md).
/// </summary>
public sealed record AgentCommand(string CommandId, string Kind, string Source, DateTimeOffset IssuedAt)
{
    /// <summary>Who to search for, erase or export (discover, erase, export).</summary>
    public SubjectIdentity? Subject { get; init; }

    /// <summary>The request's opaque id, for the agent's log (discover, erase, export).</summary>
    public string? RequestId { get; init; }

    /// <summary>Where to post the answer: the pipeline's signed callback address.</summary>
    public Uri? Callback { get; init; }

    /// <summary>The purge to run (purge only).</summary>
    public AgentPurgeOrder? Purge { get; init; }

    /// <summary>After this the pipeline has stopped waiting: the agent drops the command unanswered.</summary>
    public DateTimeOffset? AnswerBy { get; init; }
}
