using Microsoft.Extensions.Options;

namespace DataRights.Events.ServiceBus;

/// <summary>Exactly one way of reaching Service Bus, and a namespace that is a host name.</summary>
public sealed class ServiceBusEventsOptionsValidator : IValidateOptions<ServiceBusEventsOptions>
{
    public ValidateOptionsResult Validate(string? name, ServiceBusEventsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var hasConnection = !string.IsNullOrWhiteSpace(options.ConnectionString);
        var hasNamespace = !string.IsNullOrWhiteSpace(options.FullyQualifiedNamespace);
        if (hasConnection == hasNamespace)
        {
            return ValidateOptionsResult.Fail(
                $"Set exactly one of {ServiceBusEventsOptions.Section}:ConnectionString and {ServiceBusEventsOptions.Section}:FullyQualifiedNamespace.");
        }

        if (hasNamespace && Uri.CheckHostName(options.FullyQualifiedNamespace) != UriHostNameType.Dns)
        {
            return ValidateOptionsResult.Fail(
                $"{ServiceBusEventsOptions.Section}:FullyQualifiedNamespace must be a host name such as NAME.servicebus.windows.net, without a scheme or path.");
        }

        return ValidateOptionsResult.Success;
    }
}
