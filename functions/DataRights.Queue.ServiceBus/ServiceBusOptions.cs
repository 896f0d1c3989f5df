namespace DataRights.Queue.ServiceBus;

/// <summary>
/// <c>DataRights:Queue:ServiceBus</c>: where work-queue messages go and how the sender signs in. The shared access key,
/// when used, comes from a Key Vault reference app setting, never from a settings file, and is never logged.
/// </summary>
public sealed class ServiceBusOptions
{
    public const string SectionName = "DataRights:Queue:ServiceBus";

    /// <summary>The namespace's host name, e.g. <c>contoso-datarights.servicebus.windows.net</c>.</summary>
    public string? FullyQualifiedNamespace { get; set; }

    /// <summary>Overrides the address built from <see cref="FullyQualifiedNamespace"/> (https; http only on loopback, for tests).</summary>
    public Uri? Endpoint { get; set; }

    public string QueueName { get; set; } = "work-items";

    /// <summary><see cref="ServiceBusAuthentication.ManagedIdentity"/> (an Entra token for https://servicebus.azure.net/.default) or a shared access key.</summary>
    public ServiceBusAuthentication Authentication { get; set; } = ServiceBusAuthentication.ManagedIdentity;

    /// <summary>Client id of a user-assigned managed identity; empty: the system-assigned one.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Name of the shared access policy (with the Send right) when <see cref="Authentication"/> is a shared access key.</summary>
    public string? SharedAccessKeyName { get; set; }

    /// <summary>The policy's key. From a Key Vault reference app setting; never commit it.</summary>
    public string? SharedAccessKey { get; set; }

    /// <summary>How long each shared access signature is valid (one is made per request).</summary>
    public TimeSpan SasTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Retries of one send after a 408, 429, 5xx or no answer, before the outbox keeps the item for its next sweep.</summary>
    public int MaxRetries { get; set; } = 3;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(0.8);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The queue's base address: <c>{endpoint}/{queue}</c>.</summary>
    public Uri QueueAddress => new(BaseAddress, Uri.EscapeDataString(QueueName));

    public Uri BaseAddress => Endpoint is { } endpoint
        ? new Uri(endpoint.GetLeftPart(UriPartial.Authority) + "/")
        : new Uri("https://" + (FullyQualifiedNamespace ?? string.Empty).Trim().TrimEnd('/') + "/");
}

public enum ServiceBusAuthentication
{
    ManagedIdentity,
    SharedAccessKey,
}
