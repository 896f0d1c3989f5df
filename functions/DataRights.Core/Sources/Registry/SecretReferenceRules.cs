using System.Text.RegularExpressions;

namespace DataRights.Core.Sources.Registry;

/// <summary>
/// Which secret references a source registration may use, so a registration cannot read any other
/// secret of the program: <c>env:NAME</c> only for variables whose name starts with
/// <see cref="EnvironmentPrefix"/>, and <c>keyvault:NAME</c> only when a vault is configured (the one
/// vault the program reads) and only for secrets whose name starts with <see cref="KeyVaultNamePrefix"/>.
/// </summary>
public sealed partial record SecretReferenceRules(string EnvironmentPrefix, string KeyVaultNamePrefix, bool KeyVaultConfigured)
{
    public const string DefaultEnvironmentPrefix = "DATARIGHTS_SOURCE_";
    public const string DefaultKeyVaultNamePrefix = "datarights-source-";
    public const string EnvironmentScheme = "env:";
    public const string KeyVaultScheme = "keyvault:";

    /// <summary>The default prefixes, with a vault configured.</summary>
    public static SecretReferenceRules Default { get; } = new(DefaultEnvironmentPrefix, DefaultKeyVaultNamePrefix, KeyVaultConfigured: true);

    /// <summary>Null when a source may use <paramref name="reference"/>; otherwise why not, in plain words (never the secret).</summary>
    public string? Problem(string? reference)
    {
        var match = Reference().Match(reference ?? string.Empty);
        if (!match.Success)
        {
            return $"Secrets are never stored: give a reference such as env:{EnvironmentPrefix}CRM_DB_PASSWORD or keyvault:{KeyVaultNamePrefix}crm-db-password.";
        }

        var name = match.Groups["name"].Value;
        if (match.Groups["scheme"].Value == "env")
        {
            return name.Length > EnvironmentPrefix.Length && name.StartsWith(EnvironmentPrefix, StringComparison.Ordinal)
                ? null
                : $"A source may only read environment variables whose name starts with {EnvironmentPrefix} (setting DataRights:Sources:EnvironmentPrefix).";
        }

        if (!KeyVaultConfigured)
        {
            return $"No Key Vault is configured (setting DataRights:KeyVault:VaultUri): use an environment reference such as env:{EnvironmentPrefix}CRM_DB_PASSWORD.";
        }

        // Key Vault names are letters, digits and hyphens, compared without regard to case.
        return name.Length > KeyVaultNamePrefix.Length && name.StartsWith(KeyVaultNamePrefix, StringComparison.OrdinalIgnoreCase) && !name.Contains('_', StringComparison.Ordinal)
            ? null
            : $"A source may only read Key Vault secrets whose name starts with {KeyVaultNamePrefix} (setting DataRights:Sources:KeyVaultNamePrefix), in letters, digits and hyphens.";
    }

    [GeneratedRegex("^(?<scheme>env|keyvault):(?<name>[A-Za-z0-9_-]{1,127})$")]
    private static partial Regex Reference();
}
