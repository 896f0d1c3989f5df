using DataRights.Core.Ports;
using DataRights.Queue.ServiceBus;

namespace DataRights.Host.Queue;

public static class QueueServiceCollectionExtensions
{
    /// <summary>
    /// The work queue's delivery: local workers by default; with <c>DataRights:Queue:Provider=servicebus</c> the
    /// Service Bus sender and the relay over the store's outbox (the store's work queue must implement <see cref="IWorkOutbox"/>).
    /// </summary>
    public static IServiceCollection AddWorkQueueDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<QueueOptions>().BindConfiguration(QueueOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var queue = new QueueOptions();
        configuration.GetSection(QueueOptions.Section).Bind(queue);
        if (!queue.UsesServiceBus)
        {
            return services;
        }

        services.AddServiceBusQueueSender();
        services.AddSingleton<WorkRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<WorkRelay>());
        return services;
    }
}
