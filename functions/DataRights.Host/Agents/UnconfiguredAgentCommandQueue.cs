using DataRights.Core.Agents;

namespace DataRights.Host.Agents;

/// <summary>No Service Bus namespace for agents is configured: every command fails with that reason, which staff see on the step.</summary>
public sealed class UnconfiguredAgentCommandQueue : IAgentCommandQueue
{
    public Task SendAsync(string queue, OutgoingAgentCommand command, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"No Service Bus namespace is configured for on-premises agents (DataRights:Agents:ServiceBus), so the command could not be put on queue {queue}.");
}
