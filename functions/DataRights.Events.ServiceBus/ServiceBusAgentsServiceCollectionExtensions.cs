using Azure.Identity;
using Azure.Messaging.ServiceBus;
using DataRights.Core.Agents;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataRights.Events.ServiceBus;

public static class ServiceBusAgentsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ServiceBusAgentCommandQueue"/> as the <see cref="IAgentCommandQueue"/>, with a
    /// <see cref="ServiceBusClient"/> of its own (the agents' namespace may not be the events' one), made once the
    /// settings under <paramref name="configSectionPath"/> have passed validation.
    /// </summary>
    public static IServiceCollection AddServiceBusAgentCommands(this IServiceCollection services, string configSectionPath = ServiceBusAgentsOptions.Section)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ServiceBusAgentsOptions>().BindConfiguration(configSectionPath).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ServiceBusAgentsOptions>, ServiceBusAgentsOptionsValidator>());
        services.AddSingleton<IAgentCommandQueue>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ServiceBusAgentsOptions>>().Value;
            var clientOptions = new ServiceBusClientOptions
            {
                Identifier = "DataRights-agents",
                RetryOptions = new ServiceBusRetryOptions
                {
                    Mode = ServiceBusRetryMode.Exponential,
                    MaxRetries = o.MaxRetries,
                    TryTimeout = o.TryTimeout,
                    Delay = TimeSpan.FromMilliseconds(500),
                    MaxDelay = TimeSpan.FromSeconds(10),
                },
            };
            var client = !string.IsNullOrWhiteSpace(o.ConnectionString)
                ? new ServiceBusClient(o.ConnectionString, clientOptions)
                : new ServiceBusClient(o.FullyQualifiedNamespace, new DefaultAzureCredential(new DefaultAzureCredentialOptions
                {
                    ManagedIdentityClientId = string.IsNullOrWhiteSpace(o.ManagedIdentityClientId) ? null : o.ManagedIdentityClientId,
                }), clientOptions);
            return new ServiceBusAgentCommandQueue(client, sp.GetRequiredService<ILogger<ServiceBusAgentCommandQueue>>());
        });
        return services;
    }
}
