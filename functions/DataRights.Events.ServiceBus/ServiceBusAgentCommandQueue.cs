using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;
using DataRights.Core.Agents;
using Microsoft.Extensions.Logging;

namespace DataRights.Events.ServiceBus;

/// <summary>
/// Puts agent commands on their agents' queues: the message id is the command id (the queue's duplicate detection drops a
/// command sent again), the body is sealed, and the subject and the <c>kind</c> and <c>source</c> properties say what
/// it is without saying about whom. A command lives on the queue only as long as the pipeline waits for its answer.
/// </summary>
public sealed class ServiceBusAgentCommandQueue(ServiceBusClient client, ILogger<ServiceBusAgentCommandQueue> logger) : IAgentCommandQueue, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ServiceBusSender> _senders = new(StringComparer.Ordinal);

    public async Task SendAsync(string queue, OutgoingAgentCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var message = new ServiceBusMessage(command.SealedBody)
        {
            MessageId = command.MessageId,
            ContentType = OutgoingAgentCommand.ContentType,
            Subject = command.Kind,
            TimeToLive = command.TimeToLive,
        };
        message.ApplicationProperties["kind"] = command.Kind;
        message.ApplicationProperties["source"] = command.Source;
        await _senders.GetOrAdd(queue, client.CreateSender).SendMessageAsync(message, cancellationToken);
        logger.AgentCommandQueued(command.MessageId, command.Kind, queue);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sender in _senders.Values)
        {
            await sender.DisposeAsync();
        }

        await client.DisposeAsync();
    }
}
