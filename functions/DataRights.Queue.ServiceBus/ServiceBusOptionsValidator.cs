using Microsoft.Extensions.Options;

namespace DataRights.Queue.ServiceBus;

/// <summary>Settings that cannot work are refused at start, each named.</summary>
public sealed class ServiceBusOptionsValidator : IValidateOptions<ServiceBusOptions>
{
    private const string Prefix = ServiceBusOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, ServiceBusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Endpoint is { } endpoint)
        {
            if (!endpoint.IsAbsoluteUri || !(endpoint.Scheme == Uri.UriSchemeHttps || (endpoint.Scheme == Uri.UriSchemeHttp && endpoint.IsLoopback)))
            {
                failures.Add(Prefix + "Endpoint must be an https address (http only on loopback, for tests).");
            }
        }
        else if (string.IsNullOrWhiteSpace(options.FullyQualifiedNamespace)
            || Uri.CheckHostName(options.FullyQualifiedNamespace.Trim().TrimEnd('/')) != UriHostNameType.Dns)
        {
            failures.Add(Prefix + "FullyQualifiedNamespace must be the namespace's host name, e.g. contoso-datarights.servicebus.windows.net.");
        }

        if (string.IsNullOrWhiteSpace(options.QueueName) || options.QueueName.Length > 260 || options.QueueName.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '/')))
        {
            failures.Add(Prefix + "QueueName must be 1 to 260 letters, digits, '-', '.', '_' or '/'.");
        }

        if (options.Authentication == ServiceBusAuthentication.SharedAccessKey
            && (string.IsNullOrWhiteSpace(options.SharedAccessKeyName) || string.IsNullOrWhiteSpace(options.SharedAccessKey)))
        {
            failures.Add(Prefix + "SharedAccessKeyName and SharedAccessKey are required when Authentication is SharedAccessKey (the key from a Key Vault reference).");
        }

        if (options.SasTokenLifetime < TimeSpan.FromMinutes(1) || options.SasTokenLifetime > TimeSpan.FromDays(1))
        {
            failures.Add(Prefix + "SasTokenLifetime must be between 00:01:00 and 1.00:00:00.");
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            failures.Add(Prefix + "MaxRetries must be 0 to 10.");
        }

        if (options.RetryDelay <= TimeSpan.Zero || options.MaxRetryDelay < options.RetryDelay || options.NetworkTimeout <= TimeSpan.Zero)
        {
            failures.Add(Prefix + "RetryDelay and NetworkTimeout must be positive, and MaxRetryDelay at least RetryDelay.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
