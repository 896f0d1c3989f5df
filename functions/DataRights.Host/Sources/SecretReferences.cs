namespace DataRights.Host.Sources;

/// <summary>
/// Resolves a secret reference. <c>env:NAME</c> reads an environment variable (in Azure, an app setting,
/// which may itself be a Key Vault reference). <c>keyvault:NAME</c> is a secret in the vault
/// <c>DataRights:KeyVault:VaultUri</c> names, read by <see cref="KeyVaultSecrets"/> beforehand and passed in.
/// </summary>
public static class SecretReferences
{
    public static string Resolve(string reference, IReadOnlyDictionary<string, string>? loaded = null)
    {
        if (reference.StartsWith("env:", StringComparison.Ordinal) && Environment.GetEnvironmentVariable(reference[4..]) is { Length: > 0 } value)
        {
            return value;
        }

        if (reference.StartsWith(KeyVaultSecrets.Prefix, StringComparison.Ordinal))
        {
            return loaded?.GetValueOrDefault(reference) is { Length: > 0 } secret
                ? secret
                : throw new InvalidOperationException($"The secret {reference} could not be read from Key Vault (check DataRights:KeyVault:VaultUri, the app's identity and its access to the secret).");
        }

        throw new InvalidOperationException($"The secret {reference} could not be read (set the environment variable, or use keyvault:NAME with DataRights:KeyVault:VaultUri).");
    }
}
