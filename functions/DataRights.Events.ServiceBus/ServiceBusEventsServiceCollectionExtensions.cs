using Azure.Identity;
using Azure.Messaging.ServiceBus;
using DataRights.Core.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DataRights.Events.ServiceBus;

public static class ServiceBusEventsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ServiceBusEventPublisher"/> as the <see cref="IEventPublisher"/>: one
    /// <see cref="ServiceBusClient"/> (made once the settings under <paramref name="configSectionPath"/> have passed
    /// validation; not through <c>AddAzureClients</c>, whose log forwarder listens to every Azure SDK event at Verbose:
    /// the host forwards the SDK's warnings itself) and one <see cref="ServiceBusSender"/> for the topic.
    /// </summary>
    public static IServiceCollection AddServiceBusEventPublisher(this IServiceCollection services, string configSectionPath = ServiceBusEventsOptions.Section)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ServiceBusEventsOptions>().BindConfiguration(configSectionPath).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ServiceBusEventsOptions>, ServiceBusEventsOptionsValidator>());
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ServiceBusEventsOptions>>().Value;
            var clientOptions = new ServiceBusClientOptions { Identifier = "DataRights" };
            clientOptions.RetryOptions = new ServiceBusRetryOptions
            {
                Mode = ServiceBusRetryMode.Exponential,
                MaxRetries = o.MaxRetries,
                TryTimeout = o.TryTimeout,
                Delay = TimeSpan.FromMilliseconds(500),
                MaxDelay = TimeSpan.FromSeconds(10),
            };
            return !string.IsNullOrWhiteSpace(o.ConnectionString)
                ? new ServiceBusClient(o.ConnectionString, clientOptions)
                : new ServiceBusClient(o.FullyQualifiedNamespace, Credential(o), clientOptions);
        });
        services.TryAddSingleton(sp => sp.GetRequiredService<ServiceBusClient>().CreateSender(sp.GetRequiredService<IOptions<ServiceBusEventsOptions>>().Value.TopicName));
        services.AddSingleton<IEventPublisher, ServiceBusEventPublisher>();
        return services;
    }

    private static DefaultAzureCredential Credential(ServiceBusEventsOptions o) =>
        new(new DefaultAzureCredentialOptions { ManagedIdentityClientId = string.IsNullOrWhiteSpace(o.ManagedIdentityClientId) ? null : o.ManagedIdentityClientId });
}
