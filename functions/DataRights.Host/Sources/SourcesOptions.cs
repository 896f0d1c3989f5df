using DataRights.Core.Sources.Registry;

namespace DataRights.Host.Sources;

/// <summary>
/// <c>DataRights:Sources</c>: the data sources requests fan out to, each a full registration (how to
/// reach it, what it holds, what erasure does to each category), and the rules that confine what a
/// registration can reach. None configured: the demo sources in the sources folder.
/// </summary>
public sealed class SourcesOptions
{
    public const string Section = "DataRights:Sources";

    public List<SourceRegistration> Registered { get; set; } = [];

    /// <summary>The folder <c>sqlite</c> sources' <c>connection.path</c> is inside (the demo databases live there too). Empty: <c>sources</c> in the data folder.</summary>
    public string? Folder { get; set; }

    /// <summary><c>env:NAME</c> references in registrations may only name variables starting with this.</summary>
    public string EnvironmentPrefix { get; set; } = SecretReferenceRules.DefaultEnvironmentPrefix;

    /// <summary><c>keyvault:NAME</c> references in registrations may only name secrets starting with this (in the vault of <c>DataRights:KeyVault:VaultUri</c>).</summary>
    public string KeyVaultNamePrefix { get; set; } = SecretReferenceRules.DefaultKeyVaultNamePrefix;

    /// <summary>
    /// Host names (or addresses) HTTP sources may reach outside Development although they resolve to loopback or
    /// private addresses. Link-local addresses (such as the cloud metadata address) are refused whatever this says.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>A PEM file with the certificate authority PostgreSQL sources' server certificates must chain to: set, SSL Mode VerifyFull; empty, Require (encrypted, not verified).</summary>
    public string? PostgresRootCertificate { get; set; }

    /// <summary>The folder <c>sqlite</c> sources live in, as a full path.</summary>
    public string FolderPath(string dataDirectory) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(Folder) ? Path.Combine(Path.GetFullPath(dataDirectory), "sources") : Folder);
}
