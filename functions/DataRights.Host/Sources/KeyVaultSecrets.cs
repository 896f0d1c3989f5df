using System.Net.Http.Headers;
using System.Text.Json;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Sources;

/// <summary><c>DataRights:KeyVault</c>: where <c>keyvault:NAME</c> secret references are read from.</summary>
public sealed class KeyVaultOptions
{
    public const string Section = "DataRights:KeyVault";

    /// <summary>The vault, such as <c>https://datarights-kv.vault.azure.net/</c>. Empty: <c>keyvault:</c> references cannot be read.</summary>
    public string? VaultUri { get; set; }

    /// <summary>A user-assigned managed identity's client id; empty: the system-assigned identity.</summary>
    public string? ManagedIdentityClientId { get; set; }
}

/// <summary>
/// Reads <c>keyvault:NAME</c> secrets with the Key Vault REST API (<c>GET {vault}/secrets/{name}?api-version=7.4</c>)
/// and an Entra token for <c>https://vault.azure.net/.default</c> (managed identity). Values are kept in memory
/// only, for the registry to build connectors from; they are never stored or logged. Plain HTTP is refused
/// except on loopback (tests).
/// </summary>
public sealed class KeyVaultSecrets(IOptions<KeyVaultOptions> options, IHttpClientFactory http, TokenCredential? credential = null)
{
    public const string Prefix = "keyvault:";
    private static readonly string[] Scopes = ["https://vault.azure.net/.default"];

    /// <summary>Fetches every <c>keyvault:</c> reference among <paramref name="references"/>; those that fail are left out (their connector says why).</summary>
    public async Task<IReadOnlyDictionary<string, string>> LoadAsync(IEnumerable<string?> references, CancellationToken cancellationToken)
    {
        var wanted = references.OfType<string>().Where(r => r.StartsWith(Prefix, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        var loaded = new Dictionary<string, string>(StringComparer.Ordinal);
        if (wanted.Count == 0 || !Uri.TryCreate(options.Value.VaultUri, UriKind.Absolute, out var vault)
            || (vault.Scheme != Uri.UriSchemeHttps && !vault.IsLoopback))
        {
            return loaded;
        }

        var tokens = credential ?? new ManagedIdentityCredential(string.IsNullOrWhiteSpace(options.Value.ManagedIdentityClientId)
            ? ManagedIdentityId.SystemAssigned
            : ManagedIdentityId.FromUserAssignedClientId(options.Value.ManagedIdentityClientId));
        var token = await tokens.GetTokenAsync(new TokenRequestContext(Scopes), cancellationToken);
        using var client = http.CreateClient("keyvault");
        foreach (var reference in wanted)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(vault, $"secrets/{Uri.EscapeDataString(reference[Prefix.Length..])}?api-version=7.4"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
            using var response = await client.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                continue;
            }

            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            if (document.RootElement.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String)
            {
                loaded[reference] = value.GetString()!;
            }
        }

        return loaded;
    }
}
