using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace DataRights.Host.Storage;

/// <summary>
/// The storage account behind <c>azure-tables</c>, from one of three kinds of settings (checked in
/// <see cref="Resolve"/>, each problem naming the setting):
/// <list type="bullet">
/// <item>a connection string: the setting <see cref="StorageOptions.Connection"/> names (<c>AzureWebJobsStorage</c> by default), as Azure Functions reads it;</item>
/// <item>identity-based, the Functions way: <c>&lt;Connection&gt;__tableServiceUri</c> and <c>__blobServiceUri</c> (or <c>__serviceUri</c>),
/// or <c>__accountName</c>, with <c>__credential=managedidentity</c> and <c>__clientId</c>, otherwise <see cref="DefaultAzureCredential"/>;</item>
/// <item><c>DataRights:Storage:TableEndpoint</c> and <c>BlobEndpoint</c> with <c>AccountKey</c> or <c>UseManagedIdentity</c>.</item>
/// </list>
/// </summary>
public sealed class StorageAccount
{
    /// <summary>The connection Azure Functions itself uses, and so the default.</summary>
    public const string DefaultConnection = "AzureWebJobsStorage";

    private readonly Lazy<TokenCredential>? _credential;

    private StorageAccount(string source, string? connectionString, Uri? tableUri, Uri? blobUri, string? accountName, string? accountKey, Func<TokenCredential>? credential, Uri? queueUri = null)
    {
        Source = source;
        ConnectionString = connectionString;
        TableUri = tableUri;
        BlobUri = blobUri;
        QueueUri = queueUri;
        AccountName = accountName;
        AccountKey = accountKey;
        _credential = credential is null ? null : new Lazy<TokenCredential>(credential);
    }

    /// <summary>The settings the account came from, for the start-up log (never a secret).</summary>
    public string Source { get; }

    /// <summary>True when clients authenticate with Microsoft Entra ID tokens (a managed identity, or DefaultAzureCredential).</summary>
    public bool UsesIdentity => _credential is not null;

    private string? ConnectionString { get; }

    private Uri? TableUri { get; }

    private Uri? BlobUri { get; }

    private Uri? QueueUri { get; }

    private string? AccountName { get; }

    private string? AccountKey { get; }

    /// <summary>The account from <paramref name="options"/> and, for a Functions-style connection, <paramref name="configuration"/>; null with the reasons in <paramref name="failures"/>.</summary>
    public static StorageAccount? Resolve(StorageOptions options, IConfiguration configuration, ICollection<string> failures)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        const string Section = StorageOptions.Section;
        var explicitSettings = !string.IsNullOrWhiteSpace(options.TableEndpoint) || !string.IsNullOrWhiteSpace(options.BlobEndpoint)
            || !string.IsNullOrWhiteSpace(options.AccountKey) || options.UseManagedIdentity;
        if (explicitSettings)
        {
            if (!string.IsNullOrWhiteSpace(configuration[Section + ":Connection"]))
            {
                failures.Add($"Set {Section}:Connection or {Section}:TableEndpoint (with BlobEndpoint and AccountKey or UseManagedIdentity), not both.");
                return null;
            }

            return FromEndpoints(options, failures);
        }

        return FromConnection(options.Connection, configuration, failures);
    }

    /// <summary>
    /// The account a Functions-style connection setting names (a connection string, or <c>&lt;name&gt;__accountName</c> /
    /// the service addresses with an identity), as the Functions host reads it for its own triggers and task hub; null
    /// with the reasons in <paramref name="failures"/>.
    /// </summary>
    public static StorageAccount? FromConnectionSetting(string name, IConfiguration configuration, ICollection<string> failures) =>
        FromConnection(name, configuration, failures);

    /// <summary>
    /// The Queue service client for these settings: from the connection string, or, identity-based, from
    /// <c>__accountName</c> or <c>__queueServiceUri</c>; throws <see cref="InvalidOperationException"/> naming the setting
    /// when the settings give no Queue service.
    /// </summary>
    public QueueServiceClient CreateQueueServiceClient(QueueClientOptions options, string connectionName) =>
        ConnectionString is not null ? new QueueServiceClient(ConnectionString, options)
        : QueueUri is not null && _credential is not null ? new QueueServiceClient(QueueUri, _credential.Value, options)
        : throw new InvalidOperationException($"{connectionName} names no Queue service: set {connectionName}__accountName, or {connectionName}__queueServiceUri (https) with the other service addresses.");

    /// <summary>The Table service client for these settings (made once, by the <c>AddAzureClients</c> registration).</summary>
    public TableServiceClient CreateTableServiceClient(TableClientOptions options) =>
        ConnectionString is not null ? new TableServiceClient(ConnectionString, options)
        : AccountKey is not null ? new TableServiceClient(KeyConnectionString("TableEndpoint", TableUri!), options)
        : new TableServiceClient(TableUri!, _credential!.Value, options);

    /// <summary>The Blob service client for these settings (made once, by the <c>AddAzureClients</c> registration).</summary>
    public BlobServiceClient CreateBlobServiceClient(BlobClientOptions options) =>
        ConnectionString is not null ? new BlobServiceClient(ConnectionString, options)
        : AccountKey is not null ? new BlobServiceClient(KeyConnectionString("BlobEndpoint", BlobUri!), options)
        : new BlobServiceClient(BlobUri!, _credential!.Value, options);

    // The SDK's own connection-string form for an account key with an exact endpoint (path-style for Azurite).
    private string KeyConnectionString(string endpointName, Uri endpoint) =>
        $"DefaultEndpointsProtocol={endpoint.Scheme};AccountName={AccountName};AccountKey={AccountKey};{endpointName}={endpoint.AbsoluteUri.TrimEnd('/')}";

    private static StorageAccount? FromEndpoints(StorageOptions options, ICollection<string> failures)
    {
        const string Section = StorageOptions.Section;
        var count = failures.Count;
        var table = Endpoint(options.TableEndpoint, "TableEndpoint", $"the Table service address (https://<account>.table.core.windows.net) when the provider is {StorageOptions.AzureTables}", options.UseManagedIdentity, failures);
        var blob = Endpoint(options.BlobEndpoint, "BlobEndpoint", $"the Blob service address (https://<account>.blob.core.windows.net) when the provider is {StorageOptions.AzureTables}: exports are kept there", options.UseManagedIdentity, failures);
        var hasKey = !string.IsNullOrWhiteSpace(options.AccountKey);
        if (hasKey == options.UseManagedIdentity)
        {
            failures.Add(hasKey
                ? $"Set {Section}:AccountKey or {Section}:UseManagedIdentity, not both."
                : $"{Section} needs AccountKey (Shared Key) or UseManagedIdentity=true (Entra ID) when the provider is {StorageOptions.AzureTables}.");
        }

        if (hasKey && !IsBase64(options.AccountKey!))
        {
            failures.Add($"{Section}:AccountKey must be the storage account key (base64).");
        }

        if (!string.IsNullOrWhiteSpace(options.ManagedIdentityClientId) && (!options.UseManagedIdentity || !Guid.TryParse(options.ManagedIdentityClientId, out _)))
        {
            failures.Add($"{Section}:ManagedIdentityClientId must be a client id (GUID), and only with UseManagedIdentity=true.");
        }

        var accountName = string.IsNullOrWhiteSpace(options.AccountName) ? table is null ? null : AccountFromEndpoint(table) : options.AccountName;
        if (table is not null && string.IsNullOrEmpty(accountName))
        {
            failures.Add($"{Section}:AccountName is needed when the endpoint does not name the account.");
        }

        if (failures.Count > count)
        {
            return null;
        }

        var source = $"{Section}:TableEndpoint and BlobEndpoint, " + (hasKey ? "account key" : "managed identity");
        if (hasKey)
        {
            return new StorageAccount(source, null, table, blob, accountName, options.AccountKey, null);
        }

        var clientId = options.ManagedIdentityClientId;
        return new StorageAccount(source, null, table, blob, accountName, null, () => ManagedIdentity(clientId));
    }

    private static StorageAccount? FromConnection(string name, IConfiguration configuration, ICollection<string> failures)
    {
        const string Section = StorageOptions.Section;
        if (string.IsNullOrWhiteSpace(name) || name.Contains("__", StringComparison.Ordinal))
        {
            failures.Add($"{Section}:Connection must name a connection setting, such as {DefaultConnection}.");
            return null;
        }

        var connection = configuration.GetSection(name);
        var connectionString = connection.Value;
        var tableUri = connection["tableServiceUri"];
        var blobUri = connection["blobServiceUri"];
        var serviceUri = connection["serviceUri"];
        var accountName = connection["accountName"];
        var identityBased = new[] { tableUri, blobUri, serviceUri, accountName }.Any(v => !string.IsNullOrWhiteSpace(v));
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            if (identityBased)
            {
                failures.Add($"{name} is a connection string and {name}__tableServiceUri / __blobServiceUri / __serviceUri / __accountName are set too: keep one of the two.");
                return null;
            }

            try
            {
                // Parsed here so a broken string stops the start, naming the setting but never quoting it.
                _ = new TableServiceClient(connectionString);
                _ = new BlobServiceClient(connectionString);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
            {
                failures.Add($"{name} must be a storage account connection string (AccountName and AccountKey with the Blob and Table endpoints, or UseDevelopmentStorage=true).");
                return null;
            }

            return new StorageAccount($"connection string {name}", connectionString, null, null, null, null, null);
        }

        if (!identityBased)
        {
            failures.Add(
                $"With {Section}:Provider={StorageOptions.AzureTables} set the storage account: {name} (a connection string), or {name}__tableServiceUri and {name}__blobServiceUri " +
                $"(or {name}__accountName) for a managed identity, or {Section}:TableEndpoint and BlobEndpoint with AccountKey or UseManagedIdentity.");
            return null;
        }

        var count = failures.Count;
        if (!string.IsNullOrWhiteSpace(blobUri) && !string.IsNullOrWhiteSpace(serviceUri))
        {
            failures.Add($"Set {name}__blobServiceUri or {name}__serviceUri (both name the Blob service), not both.");
        }

        if (!string.IsNullOrWhiteSpace(accountName) && (!string.IsNullOrWhiteSpace(tableUri) || !string.IsNullOrWhiteSpace(blobUri) || !string.IsNullOrWhiteSpace(serviceUri)))
        {
            failures.Add($"Set {name}__accountName or the service addresses ({name}__tableServiceUri, __blobServiceUri), not both.");
        }

        if (!string.IsNullOrWhiteSpace(accountName) && !IsAccountName(accountName))
        {
            failures.Add($"{name}__accountName must be a storage account name: 3 to 24 lower-case letters and digits.");
        }

        if (failures.Count > count)
        {
            return null;
        }

        var table = accountName is { Length: > 0 } ? $"https://{accountName}.table.core.windows.net" : tableUri;
        var queue = accountName is { Length: > 0 } ? $"https://{accountName}.queue.core.windows.net" : connection["queueServiceUri"];
        var blob = accountName is { Length: > 0 } ? $"https://{accountName}.blob.core.windows.net" : string.IsNullOrWhiteSpace(blobUri) ? serviceUri : blobUri;
        var tableEndpoint = IdentityEndpoint(table, name + "__tableServiceUri", "the Table service address (https://<account>.table.core.windows.net)", failures);
        var blobEndpoint = IdentityEndpoint(blob, name + "__blobServiceUri", "the Blob service address (https://<account>.blob.core.windows.net), where exports are kept", failures);
        var credential = connection["credential"];
        var clientId = connection["clientId"];
        var managedIdentity = string.Equals(credential, "managedidentity", StringComparison.OrdinalIgnoreCase);
        if (!string.IsNullOrWhiteSpace(credential) && !managedIdentity)
        {
            failures.Add($"{name}__credential must be 'managedidentity' or left out (DefaultAzureCredential).");
        }

        if (!string.IsNullOrWhiteSpace(clientId) && !Guid.TryParse(clientId, out _))
        {
            failures.Add($"{name}__clientId must be the client id (GUID) of a user-assigned managed identity.");
        }

        if (failures.Count > count)
        {
            return null;
        }

        var source = $"{name} service addresses, " + (managedIdentity ? "managed identity" : "DefaultAzureCredential");
        Func<TokenCredential> make = managedIdentity
            ? () => ManagedIdentity(clientId)
            : () => new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = string.IsNullOrWhiteSpace(clientId) ? null : clientId });
        var queueEndpoint = Uri.TryCreate(queue, UriKind.Absolute, out var q) && q.Scheme == Uri.UriSchemeHttps ? q : null;
        return new StorageAccount(source, null, tableEndpoint, blobEndpoint, null, null, make, queueEndpoint);
    }

    private static Uri? Endpoint(string? value, string setting, string what, bool identity, ICollection<string> failures)
    {
        const string Section = StorageOptions.Section;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{Section}:{setting} must be {what}.");
            return null;
        }

        if (endpoint.Scheme == Uri.UriSchemeHttp && !endpoint.IsLoopback)
        {
            failures.Add($"{Section}:{setting} must use https (http only on loopback, for Azurite).");
            return null;
        }

        if (identity && endpoint.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add($"{Section}:UseManagedIdentity needs an https {Section}:{setting} (bearer tokens are never sent in clear).");
            return null;
        }

        return endpoint;
    }

    private static Uri? IdentityEndpoint(string? value, string setting, string what, ICollection<string> failures)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var endpoint) || endpoint.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add($"{setting} must be {what}, over https: an identity's bearer tokens are never sent in clear.");
            return null;
        }

        return endpoint;
    }

    private static ManagedIdentityCredential ManagedIdentity(string? clientId) => new(string.IsNullOrWhiteSpace(clientId)
        ? ManagedIdentityId.SystemAssigned
        : ManagedIdentityId.FromUserAssignedClientId(clientId));

    private static string AccountFromEndpoint(Uri endpoint)
    {
        var firstSegment = endpoint.AbsolutePath.Trim('/').Split('/')[0];
        return firstSegment.Length > 0 ? firstSegment : endpoint.HostNameType == UriHostNameType.Dns ? endpoint.Host.Split('.')[0] : string.Empty;
    }

    private static bool IsAccountName(string name) => name.Length is >= 3 and <= 24 && name.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c));

    private static bool IsBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) && written > 0;
    }
}
