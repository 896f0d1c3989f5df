namespace DataRights.Core.Agents;

/// <summary>
/// A command as it goes on an agent's queue: the message id (the command id), what it asks and of which source (message
/// properties, no personal data), the sealed body (<see cref="AgentEnvelope.Seal"/>), and how long it stays on the queue.
/// </summary>
public sealed record OutgoingAgentCommand(string MessageId, string Kind, string Source, byte[] SealedBody, TimeSpan TimeToLive)
{
    /// <summary>The content type of a sealed command body.</summary>
    public const string ContentType = "application/vnd.datarights.agent-command.v1+sealed";
}
