using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataRights.Queue.ServiceBus;

public static class ServiceBusServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ServiceBusQueueSender"/> with options from <see cref="ServiceBusOptions.SectionName"/>, validated
    /// on start. With managed identity, the credential is a registered <see cref="TokenCredential"/> if there is one,
    /// otherwise a <see cref="ManagedIdentityCredential"/> (user-assigned when a client id is configured).
    /// </summary>
    public static IHttpClientBuilder AddServiceBusQueueSender(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ServiceBusOptions>().BindConfiguration(ServiceBusOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ServiceBusOptions>, ServiceBusOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ServiceBusOptions>>();
            var credential = options.Value.Authentication == ServiceBusAuthentication.ManagedIdentity
                ? sp.GetService<TokenCredential>() ?? ManagedIdentity(options.Value.ManagedIdentityClientId)
                : null;
            return new ServiceBusQueueSender(
                sp.GetRequiredService<IHttpClientFactory>(), options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ServiceBusQueueSender>>(), credential);
        });
        return services.AddHttpClient(ServiceBusQueueSender.HttpClientName);
    }

    private static ManagedIdentityCredential ManagedIdentity(string? clientId) =>
        string.IsNullOrWhiteSpace(clientId)
            ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
}
