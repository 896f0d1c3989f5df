using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// How to reach a storage account's Table service: the endpoint, the account, and either the account key
/// (Azurite, or accounts that allow keys) or a <see cref="TokenCredential"/> (Microsoft
/// Entra ID, such as a managed identity; the usual choice, since accounts often disable keys). A record,
/// so a copy can change the prefix or the transport: <c>connection with { TablePrefix = "Test1" }</c>.
/// </summary>
public sealed record AzureTableConnection
{
    /// <summary>Azurite's development account (public, documented; never a real secret).</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known development key (public, documented; never a real secret).</summary>
    public const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>The scope of Entra ID tokens for Azure Storage.</summary>
    public const string StorageScope = "https://storage.azure.com/.default";

    private AzureTableConnection(Uri endpoint, string? accountName)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("The Table endpoint must be an absolute http(s) address.", nameof(endpoint));
        }

        Endpoint = endpoint;
        AccountName = string.IsNullOrEmpty(accountName) ? AccountFromEndpoint(endpoint) : accountName;
    }

    /// <summary>
    /// The Table service address: <c>https://&lt;account&gt;.table.core.windows.net</c>, or path-style
    /// (Azurite) <c>http://127.0.0.1:10002/devstoreaccount1</c>.
    /// </summary>
    public Uri Endpoint { get; }

    /// <summary>The storage account name (with the account key, it makes the SDK's shared key credential).</summary>
    public string AccountName { get; }

    /// <summary>Prepended to each table name, so several deployments (or test runs) can share an account. Letters and digits.</summary>
    public string TablePrefix { get; init; } = "DataRights";

    /// <summary>The HTTP transport; tests put a fake handler here. Null: Azure.Core's default.</summary>
    public HttpPipelineTransport? Transport { get; init; }

    /// <summary>Attempts after the first for transient failures (408, 429, 5xx, network).</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>Time limit of one HTTP attempt.</summary>
    public TimeSpan NetworkTimeout { get; init; } = TimeSpan.FromSeconds(30);

    internal byte[]? AccountKey { get; private init; }

    internal TokenCredential? Credential { get; private init; }

    /// <summary>A service client made elsewhere (the host registers one with <c>AddAzureClients</c>); null: made here.</summary>
    internal TableServiceClient? ServiceClient { get; private init; }

    /// <summary>Authenticates with the account key.</summary>
    public static AzureTableConnection WithAccountKey(Uri endpoint, string? accountName, string accountKey)
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

        return new AzureTableConnection(endpoint, accountName) { AccountKey = key };
    }

    /// <summary>Sends Entra ID bearer tokens for <see cref="StorageScope"/> (https endpoints only).</summary>
    public static AzureTableConnection WithCredential(Uri endpoint, string? accountName, TokenCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return new AzureTableConnection(endpoint, accountName) { Credential = credential };
    }

    /// <summary>
    /// Uses a service client registered elsewhere, with its own authentication and options (the host's, from
    /// <c>AddAzureClients</c>); <see cref="Transport"/>, <see cref="MaxRetries"/> and <see cref="NetworkTimeout"/> then do not apply.
    /// </summary>
    public static AzureTableConnection FromServiceClient(TableServiceClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return new AzureTableConnection(client.Uri, client.AccountName) { ServiceClient = client };
    }

    /// <summary>Azurite's development account on a local port.</summary>
    public static AzureTableConnection ForAzurite(int tablePort, string tablePrefix) =>
        WithAccountKey(new Uri($"http://127.0.0.1:{tablePort}/{DevelopmentAccountName}"), DevelopmentAccountName, DevelopmentAccountKey) with { TablePrefix = tablePrefix };

    /// <summary>
    /// Client options for this connection: retries with exponential backoff (<see cref="MaxRetries"/>,
    /// <see cref="NetworkTimeout"/>), the transport if one is set, and the application id in the user agent.
    /// </summary>
    public TableClientOptions CreateClientOptions() => StorageClientOptions.Apply(new TableClientOptions(), MaxRetries, NetworkTimeout, Transport);

    /// <summary>The SDK's service client on this connection: the account key or Entra ID bearer tokens.</summary>
    public TableServiceClient CreateServiceClient(TableClientOptions? options = null)
    {
        if (ServiceClient is not null)
        {
            return ServiceClient;
        }

        options ??= CreateClientOptions();
        return AccountKey is { } key
            ? new TableServiceClient(KeyConnectionString("TableEndpoint", Endpoint, AccountName, key), options)
            : new TableServiceClient(Endpoint, Credential!, options);
    }

    /// <summary>The stores' gateway on this connection, counting its calls.</summary>
    internal TableGateway CreateGateway()
    {
        if (ServiceClient is not null)
        {
            return new TableGateway(ServiceClient);
        }

        var counter = new RoundTripCounter();
        var options = CreateClientOptions();
        options.AddPolicy(counter, HttpPipelinePosition.PerCall);
        return new TableGateway(CreateServiceClient(options), counter);
    }

    /// <summary>The SDK's own connection-string form for an account key with an exact endpoint (path-style for Azurite).</summary>
    internal static string KeyConnectionString(string endpointName, Uri endpoint, string accountName, byte[] key) =>
        $"DefaultEndpointsProtocol={endpoint.Scheme};AccountName={accountName};AccountKey={Convert.ToBase64String(key)};{endpointName}={endpoint.AbsoluteUri.TrimEnd('/')}";

    private static string AccountFromEndpoint(Uri endpoint)
    {
        var firstSegment = endpoint.AbsolutePath.Trim('/').Split('/')[0];
        return firstSegment.Length > 0 ? firstSegment : endpoint.Host.Split('.')[0];
    }
}
