namespace DataRights.Host.Sources;

/// <summary>
/// Resolves a secret reference. <c>env:NAME</c> reads an environment variable (in Azure, an app
/// setting that is itself a Key Vault reference, resolved by the platform). <c>keyvault:NAME</c> is
/// accepted by validation but not read directly yet: use an app setting with a Key Vault reference.
/// </summary>
public static class SecretReferences
{
    public static string Resolve(string reference) =>
        reference.StartsWith("env:", StringComparison.Ordinal) && Environment.GetEnvironmentVariable(reference[4..]) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"The secret {reference} could not be read (set the environment variable; for Key Vault, point an app setting at the secret with a Key Vault reference and name that setting here as env:NAME).");
}
