using System.ComponentModel.DataAnnotations;

namespace DataRights.Events.ServiceBus;

/// <summary>
/// Settings under <c>DataRights:Agents:ServiceBus</c>: the namespace holding the on-premises agents' queues (one per agent,
/// <c>agent-NAME</c>). Either <see cref="FullyQualifiedNamespace"/> (signed in with <c>DefaultAzureCredential</c>: the
/// app's managed identity on Azure) or <see cref="ConnectionString"/>. Neither set: agent sources cannot be reached.
/// </summary>
public sealed class ServiceBusAgentsOptions
{
    public const string Section = "DataRights:Agents:ServiceBus";

    /// <summary>A Service Bus connection string (<c>Endpoint=sb://...</c>); not with <see cref="FullyQualifiedNamespace"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The namespace's host name (<c>NAME.servicebus.windows.net</c>), signed in with Entra ID.</summary>
    public string? FullyQualifiedNamespace { get; set; }

    /// <summary>The client id of the user-assigned managed identity to sign in with; empty for the default chain.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>How many times the client itself retries a send before the step fails (the step is then tried again later).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>How long one send may take before it counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan TryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>True when either way of reaching Service Bus is set.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString) || !string.IsNullOrWhiteSpace(FullyQualifiedNamespace);
}
