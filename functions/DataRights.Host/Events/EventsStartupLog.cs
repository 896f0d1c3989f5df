using DataRights.Core.Ports;
using DataRights.Events.ServiceBus;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Events;

/// <summary>Says once, at start, where events go: so a pipeline without Service Bus never drops them unnoticed.</summary>
public sealed class EventsStartupLog(IEventPublisher publisher, IOptions<ServiceBusEventsOptions> serviceBus, ILogger<EventsStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (publisher is FileEventSink files)
        {
            logger.EventsToFolder(files.Folder);
        }
        else
        {
            var o = serviceBus.Value;
            logger.EventsToServiceBus(o.TopicName, o.FullyQualifiedNamespace ?? "the namespace of the connection string");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
