namespace DataRights.Agent;

/// <summary><c>DataRights:Agent:ServiceBus</c>: a connection string (from the environment), or a namespace signed in to with Entra ID.</summary>
public sealed class AgentServiceBusOptions
{
    /// <summary>A connection string with Listen rights on the agent's queue; set it in the environment, not in a file.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The namespace's host name (<c>NAME.servicebus.windows.net</c>), signed in with <c>DefaultAzureCredential</c>.</summary>
    public string? FullyQualifiedNamespace { get; set; }
}
