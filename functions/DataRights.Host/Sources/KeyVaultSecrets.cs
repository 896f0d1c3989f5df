using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Sources;

/// <summary>
/// Reads <c>keyvault:NAME</c> secrets from the one vault <c>DataRights:KeyVault:VaultUri</c> names, with the
/// Key Vault SDK (<see cref="SecretClient"/>) and the app's identity (<see cref="DefaultAzureCredential"/>: the
/// managed identity in Azure, the user-assigned one when a client id is given). Values are kept in memory only,
/// for the registry to build connectors from; they are never stored or logged. The vault must be https.
/// </summary>
public sealed class KeyVaultSecrets
{
    public const string Prefix = "keyvault:";
    private readonly SecretClient? _client;

    /// <param name="options">The vault.</param>
    /// <param name="credential">The identity; null: <see cref="DefaultAzureCredential"/>.</param>
    /// <param name="clientOptions">The SDK's client options (retries, transport); null: its defaults.</param>
    public KeyVaultSecrets(IOptions<KeyVaultOptions> options, TokenCredential? credential = null, SecretClientOptions? clientOptions = null)
    {
        if (Uri.TryCreate(options.Value.VaultUri, UriKind.Absolute, out var vault) && vault.Scheme == Uri.UriSchemeHttps)
        {
            var clientId = options.Value.ManagedIdentityClientId;
            _client = new SecretClient(
                vault,
                credential ?? new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = string.IsNullOrWhiteSpace(clientId) ? null : clientId }),
                clientOptions ?? new SecretClientOptions());
        }
    }

    /// <summary>Fetches every <c>keyvault:</c> reference among <paramref name="references"/>; those that fail are left out (their connector says why).</summary>
    public async Task<IReadOnlyDictionary<string, string>> LoadAsync(IEnumerable<string?> references, CancellationToken cancellationToken)
    {
        var loaded = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_client is null)
        {
            return loaded;
        }

        foreach (var reference in references.OfType<string>().Where(r => r.StartsWith(Prefix, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal))
        {
            try
            {
                var secret = await _client.GetSecretAsync(reference[Prefix.Length..], cancellationToken: cancellationToken);
                if (secret.Value.Value is { Length: > 0 } value)
                {
                    loaded[reference] = value;
                }
            }
            catch (RequestFailedException)
            {
                // Missing, or no access: the connector built from it says the secret could not be read.
            }
            catch (AuthenticationFailedException)
            {
                // No identity to read the vault with: as above.
            }
        }

        return loaded;
    }
}
