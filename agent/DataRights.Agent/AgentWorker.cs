using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Options;

namespace DataRights.Agent;

/// <summary>Receives the agent's commands from its queue in PeekLock mode, one after another, for as long as the agent runs.</summary>
public sealed class AgentWorker(ServiceBusClient client, CommandProcessor processor, IOptions<AgentOptions> options, ILogger<AgentWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        await using var receiver = client.CreateReceiver(o.Queue, new ServiceBusReceiverOptions { ReceiveMode = ServiceBusReceiveMode.PeekLock, PrefetchCount = 0 });
        logger.Receiving(o.Name, o.Queue);
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<ServiceBusReceivedMessage> messages;
            try
            {
                messages = await receiver.ReceiveMessagesAsync(maxMessages: 1, maxWaitTime: o.ReceiveWait, stoppingToken);
            }
            catch (ServiceBusException ex) when (ex.IsTransient)
            {
                // The client has retried already; the queue is unreachable for now. Ask again after the wait.
                logger.QueueUnreachable(o.Queue, ex.Reason.ToString());
                await Task.Delay(o.ReceiveWait, stoppingToken);
                continue;
            }

            foreach (var message in messages)
            {
                try
                {
                    await processor.ProcessAsync(receiver, message, stoppingToken);
                }
                catch (ServiceBusException ex) when (ex.IsTransient || ex.Reason == ServiceBusFailureReason.MessageLockLost)
                {
                    // Not settled: Service Bus delivers the command again once its lock ends, and the stored answer is sent again.
                    logger.NotSettled(message.MessageId, ex.Reason.ToString());
                }
            }
        }
    }
}
