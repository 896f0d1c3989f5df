using DataRights.Core.Sources.Registry;

namespace DataRights.Agent;

/// <summary>
/// <c>DataRights:Sources</c>: the agent's SQL sources, as ordinary source registrations (the pipeline's shape, with
/// their statements); each key is the key of the pipeline's <c>agent</c> registration it serves.
/// </summary>
public sealed class AgentSourcesOptions
{
    public const string Section = "DataRights:Sources";

    /// <summary>The connector types an agent runs.</summary>
    public static readonly IReadOnlyList<string> ConnectorTypes = ["sqlite", "postgres"];

    public List<SourceRegistration> Registered { get; set; } = [];

    /// <summary>The folder <c>sqlite</c> sources' <c>connection.path</c> is inside. Empty: <c>sources</c> in the state folder.</summary>
    public string? Folder { get; set; }

    /// <summary><c>env:NAME</c> references in registrations may only name variables starting with this.</summary>
    public string EnvironmentPrefix { get; set; } = SecretReferenceRules.DefaultEnvironmentPrefix;

    /// <summary>A PEM file with the certificate authority PostgreSQL servers' certificates must chain to; empty: encrypted, not verified.</summary>
    public string? PostgresRootCertificate { get; set; }
}
