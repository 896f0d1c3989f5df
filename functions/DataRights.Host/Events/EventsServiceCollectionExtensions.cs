using DataRights.Events.ServiceBus;
using DataRights.Host.Workflow;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DataRights.Host.Events;

public static class EventsServiceCollectionExtensions
{
    /// <summary>
    /// Events for the firm's other systems: the work handler that publishes a request's changes, the purge report's
    /// publisher, and the <see cref="Core.Ports.IEventPublisher"/> chosen by configuration: Service Bus when
    /// <c>DataRights:Events:ServiceBus</c> names a namespace or a connection string, else the local folder
    /// (<see cref="FileEventSink"/>), said at start.
    /// </summary>
    public static IServiceCollection AddEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EventsOptions>().BindConfiguration(EventsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var serviceBus = configuration.GetSection(ServiceBusEventsOptions.Section).Get<ServiceBusEventsOptions>() ?? new ServiceBusEventsOptions();
        if (serviceBus.IsConfigured)
        {
            services.AddServiceBusEventPublisher();
        }
        else
        {
            services.AddOptions<ServiceBusEventsOptions>();
            services.TryAddSingleton<FileEventSink>();
            services.AddSingleton<Core.Ports.IEventPublisher>(sp => sp.GetRequiredService<FileEventSink>());
        }

        services.AddSingleton<IWorkHandler, EventWorkHandler>();
        services.AddSingleton<PurgeReportPublisher>();
        services.AddHostedService<EventsStartupLog>();
        return services;
    }
}
