using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;

namespace DataRights.Storage.AzureTables.Blobs;

/// <summary>
/// How to reach a storage account's Blob service and which container holds the exports: the endpoint,
/// the account, and either the account key (Azurite, or accounts that allow keys) or a
/// <see cref="TokenCredential"/> (Microsoft Entra ID, such as a managed identity, which needs the
/// Storage Blob Data Contributor role). A record, so a copy can change the block size or the transport.
/// </summary>
public sealed partial record AzureBlobConnection
{
    /// <summary>The container used when none is configured.</summary>
    public const string DefaultContainer = "datarights-exports";

    /// <summary>The Blob service's limit of committed blocks per blob.</summary>
    public const int MaxBlocks = 50_000;

    private AzureBlobConnection(Uri endpoint, string? accountName, string container)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("The Blob endpoint must be an absolute http(s) address.", nameof(endpoint));
        }

        if (!IsContainerName(container))
        {
            throw new ArgumentException("A container name has 3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit.", nameof(container));
        }

        Endpoint = endpoint;
        AccountName = string.IsNullOrEmpty(accountName) ? AccountFromEndpoint(endpoint) : accountName;
        Container = container;
    }

    /// <summary>
    /// The Blob service address: <c>https://&lt;account&gt;.blob.core.windows.net</c>, or path-style
    /// (Azurite) <c>http://127.0.0.1:10000/devstoreaccount1</c>.
    /// </summary>
    public Uri Endpoint { get; }

    /// <summary>The storage account name (with the account key, it makes the SDK's shared key credential).</summary>
    public string AccountName { get; }

    /// <summary>The container holding the exports (private; created at start if missing).</summary>
    public string Container { get; }

    /// <summary>
    /// Bytes staged per block (and so held in memory per upload): 4 MiB by default. Tests set it small
    /// to make several blocks of a small object.
    /// </summary>
    public int BlockSize
    {
        get;
        init => field = value is > 0 and <= 100 * 1024 * 1024 ? value : throw new ArgumentOutOfRangeException(nameof(value), "A block holds 1 byte to 100 MiB.");
    } = 4 * 1024 * 1024;

    /// <summary>Blobs asked for per List Blobs page (the service gives at most 5,000); tests set it small to make several pages.</summary>
    public int ListPageSize
    {
        get;
        init => field = value is > 0 and <= 5000 ? value : throw new ArgumentOutOfRangeException(nameof(value), "A list page holds 1 to 5,000 blobs.");
    } = 1000;

    /// <summary>The HTTP transport; tests put a fake handler here. Null: Azure.Core's default.</summary>
    public HttpPipelineTransport? Transport { get; init; }

    /// <summary>Attempts after the first for transient failures (408, 429, 5xx, network).</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>Time limit of one HTTP attempt, and of each read of a download.</summary>
    public TimeSpan NetworkTimeout { get; init; } = TimeSpan.FromSeconds(100);

    internal byte[]? AccountKey { get; private init; }

    internal TokenCredential? Credential { get; private init; }

    /// <summary>A service client made elsewhere (the host registers one with <c>AddAzureClients</c>); null: made here.</summary>
    internal BlobServiceClient? ServiceClient { get; private init; }

    /// <summary>Authenticates with the account key.</summary>
    public static AzureBlobConnection WithAccountKey(Uri endpoint, string? accountName, string accountKey, string container = DefaultContainer)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountKey);
        byte[] key;
        try
        {
            key = Convert.FromBase64String(accountKey);
        }
        catch (FormatException ex)
        {
            throw new ArgumentException("The storage account key must be base64.", nameof(accountKey), ex);
        }

        return new AzureBlobConnection(endpoint, accountName, container) { AccountKey = key };
    }

    /// <summary>Sends Entra ID bearer tokens for <see cref="AzureTableConnection.StorageScope"/> (https endpoints only).</summary>
    public static AzureBlobConnection WithCredential(Uri endpoint, string? accountName, TokenCredential credential, string container = DefaultContainer)
    {
        ArgumentNullException.ThrowIfNull(credential);
        if (endpoint?.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException("Bearer tokens are only sent to an https Blob endpoint.", nameof(endpoint));
        }

        return new AzureBlobConnection(endpoint, accountName, container) { Credential = credential };
    }

    /// <summary>
    /// Uses a service client registered elsewhere, with its own authentication and options (the host's, from
    /// <c>AddAzureClients</c>); <see cref="Transport"/>, <see cref="MaxRetries"/> and <see cref="NetworkTimeout"/> then do not apply.
    /// </summary>
    public static AzureBlobConnection FromServiceClient(BlobServiceClient client, string container = DefaultContainer)
    {
        ArgumentNullException.ThrowIfNull(client);
        return new AzureBlobConnection(client.Uri, client.AccountName, container) { ServiceClient = client };
    }

    /// <summary>
    /// Client options for this connection: retries with exponential backoff (<see cref="MaxRetries"/>,
    /// <see cref="NetworkTimeout"/>), the transport if one is set, and the application id in the user agent.
    /// </summary>
    public BlobClientOptions CreateClientOptions() => StorageClientOptions.Apply(new BlobClientOptions(), MaxRetries, NetworkTimeout, Transport);

    /// <summary>The SDK's client of the export container on this connection: the account key or Entra ID bearer tokens.</summary>
    public BlobContainerClient CreateContainerClient()
    {
        var service = ServiceClient ?? (AccountKey is { } key
            ? new BlobServiceClient(AzureTableConnection.KeyConnectionString("BlobEndpoint", Endpoint, AccountName, key), CreateClientOptions())
            : new BlobServiceClient(Endpoint, Credential!, CreateClientOptions()));
        return service.GetBlobContainerClient(Container);
    }

    /// <summary>Azurite's development account on a local port.</summary>
    public static AzureBlobConnection ForAzurite(int blobPort, string container) =>
        WithAccountKey(new Uri($"http://127.0.0.1:{blobPort}/{AzureTableConnection.DevelopmentAccountName}"), AzureTableConnection.DevelopmentAccountName, AzureTableConnection.DevelopmentAccountKey, container);

    /// <summary>The Blob service's container naming rule.</summary>
    public static bool IsContainerName(string? name) => name is not null && ContainerName().IsMatch(name) && !name.Contains("--", StringComparison.Ordinal);

    private static string AccountFromEndpoint(Uri endpoint)
    {
        var firstSegment = endpoint.AbsolutePath.Trim('/').Split('/')[0];
        return firstSegment.Length > 0 ? firstSegment : endpoint.Host.Split('.')[0];
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex ContainerName();
}
