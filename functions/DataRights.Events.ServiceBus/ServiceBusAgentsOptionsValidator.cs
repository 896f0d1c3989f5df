using Microsoft.Extensions.Options;

namespace DataRights.Events.ServiceBus;

/// <summary>Exactly one way of reaching the agents' namespace, and a namespace that is a host name.</summary>
public sealed class ServiceBusAgentsOptionsValidator : IValidateOptions<ServiceBusAgentsOptions>
{
    public ValidateOptionsResult Validate(string? name, ServiceBusAgentsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var hasConnection = !string.IsNullOrWhiteSpace(options.ConnectionString);
        var hasNamespace = !string.IsNullOrWhiteSpace(options.FullyQualifiedNamespace);
        if (hasConnection == hasNamespace)
        {
            return ValidateOptionsResult.Fail(
                $"Set exactly one of {ServiceBusAgentsOptions.Section}:ConnectionString and {ServiceBusAgentsOptions.Section}:FullyQualifiedNamespace.");
        }

        return hasNamespace && Uri.CheckHostName(options.FullyQualifiedNamespace) != UriHostNameType.Dns
            ? ValidateOptionsResult.Fail($"{ServiceBusAgentsOptions.Section}:FullyQualifiedNamespace must be a host name such as NAME.servicebus.windows.net, without a scheme or path.")
            : ValidateOptionsResult.Success;
    }
}
