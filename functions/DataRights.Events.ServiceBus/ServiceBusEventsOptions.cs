using System.ComponentModel.DataAnnotations;

namespace DataRights.Events.ServiceBus;

/// <summary>
/// Settings under <c>DataRights:Events:ServiceBus</c>: where events are published. Either
/// <see cref="FullyQualifiedNamespace"/> (signed in with <c>DefaultAzureCredential</c>: the app's managed identity on
/// Azure, <see cref="ManagedIdentityClientId"/> naming a user-assigned one) or <see cref="ConnectionString"/> (a
/// Key Vault reference on Azure, or the local emulator). Neither set: events are not sent to Service Bus.
/// </summary>
public sealed class ServiceBusEventsOptions
{
    public const string Section = "DataRights:Events:ServiceBus";

    /// <summary>A Service Bus connection string (<c>Endpoint=sb://...</c>); not with <see cref="FullyQualifiedNamespace"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The namespace's host name (<c>NAME.servicebus.windows.net</c>), signed in with Entra ID.</summary>
    public string? FullyQualifiedNamespace { get; set; }

    /// <summary>The client id of the user-assigned managed identity to sign in with; empty for the default chain.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>The topic the events go to (the Bicep declares <c>events</c>, with duplicate detection on).</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9._/-]{0,259}$")]
    public string TopicName { get; set; } = "events";

    /// <summary>How many times the client itself retries a send before the step fails (the step is then tried again later).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>How long one send may take before it counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan TryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>True when either way of reaching Service Bus is set.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString) || !string.IsNullOrWhiteSpace(FullyQualifiedNamespace);
}
