using System.ComponentModel.DataAnnotations;
using DataRights.Storage.AzureTables.Blobs;

namespace DataRights.Host.Storage;

/// <summary>
/// Settings under <c>DataRights:Storage</c>: the storage account whose tables hold requests, audit trails, the work queue,
/// registrations, holds, job runs and retention bookkeeping, and whose Blob container holds exports
/// (Azurite locally): the connection named by <see cref="Connection"/>
/// (a connection string, or the Functions-style identity-based settings), or <see cref="TableEndpoint"/> and
/// <see cref="BlobEndpoint"/> with the account key or a managed identity. <see cref="StorageAccount"/> reads them.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "DataRights:Storage";

    public const string AzureTables = "azure-tables";

    /// <summary>Only <c>azure-tables</c> (the default): kept so a configuration naming the retired SQLite store is refused with a reason.</summary>
    [Required]
    public string Provider { get; set; } = AzureTables;

    /// <summary>
    /// azure-tables, when the endpoints below are not set: the name of the connection setting, as Azure Functions
    /// reads it: a connection string (<c>AzureWebJobsStorage</c>), or <c>&lt;name&gt;__tableServiceUri</c> and
    /// <c>&lt;name&gt;__blobServiceUri</c> (or <c>__accountName</c>) with <c>__credential</c> and <c>__clientId</c>.
    /// </summary>
    public string Connection { get; set; } = StorageAccount.DefaultConnection;

    /// <summary>The Table service address: https://&lt;account&gt;.table.core.windows.net, or Azurite's http://127.0.0.1:10002/devstoreaccount1.</summary>
    public string? TableEndpoint { get; set; }

    /// <summary>The storage account; empty: taken from the endpoint (its first path segment, else its host name).</summary>
    public string? AccountName { get; set; }

    /// <summary>The account key (base64), for Shared Key Lite. From a Key Vault reference app setting; never committed.</summary>
    public string? AccountKey { get; set; }

    /// <summary>Authenticate with the app's managed identity (Entra ID tokens) instead of a key.</summary>
    public bool UseManagedIdentity { get; set; }

    /// <summary>The client id of a user-assigned managed identity; empty: the system-assigned one.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Prepended to the table names (Requests, Lookups, Registry, Retention, Inbox), so deployments can share an account.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{0,49}$", ErrorMessage = "DataRights:Storage:TablePrefix must start with a letter and hold only letters and digits (at most 50).")]
    public string TablePrefix { get; set; } = "DataRights";

    /// <summary>azure-tables: the Blob service address for exports, https://&lt;account&gt;.blob.core.windows.net, or Azurite's http://127.0.0.1:10000/devstoreaccount1.</summary>
    public string? BlobEndpoint { get; set; }

    /// <summary>azure-tables: the private Blob container holding exports (created at start if missing).</summary>
    public string ExportContainer { get; set; } = AzureBlobConnection.DefaultContainer;

    public bool IsAzureTables => string.Equals(Provider, AzureTables, StringComparison.OrdinalIgnoreCase);
}
