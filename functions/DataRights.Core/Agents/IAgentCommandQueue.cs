namespace DataRights.Core.Agents;

/// <summary>The port commands to on-premises agents leave by: one queue per agent (Service Bus on Azure).</summary>
public interface IAgentCommandQueue
{
    /// <summary>
    /// Puts one command on <paramref name="queue"/>. Sending the same <see cref="OutgoingAgentCommand.MessageId"/> again
    /// must not make a second command: the queue's duplicate detection drops it, and the agent answers a command id once.
    /// </summary>
    Task SendAsync(string queue, OutgoingAgentCommand command, CancellationToken cancellationToken);
}
