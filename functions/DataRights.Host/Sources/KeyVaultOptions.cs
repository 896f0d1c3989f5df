namespace DataRights.Host.Sources;

/// <summary><c>DataRights:KeyVault</c>: where <c>keyvault:NAME</c> secret references are read from.</summary>
public sealed class KeyVaultOptions
{
    public const string Section = "DataRights:KeyVault";

    /// <summary>The vault, such as <c>https://datarights-kv.vault.azure.net/</c> (https only). Empty: <c>keyvault:</c> references cannot be read.</summary>
    public string? VaultUri { get; set; }

    /// <summary>A user-assigned managed identity's client id; empty: the system-assigned identity.</summary>
    public string? ManagedIdentityClientId { get; set; }
}
