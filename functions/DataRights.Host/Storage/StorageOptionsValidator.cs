using DataRights.Storage.AzureTables.Blobs;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Storage;

/// <summary>Cross-field rules of <see cref="StorageOptions"/>, each failure naming the setting to fix.</summary>
internal sealed class StorageOptionsValidator(IConfiguration configuration) : IValidateOptions<StorageOptions>
{
    /// <summary>
    /// The keys every instance must share once the store is shared: without them each instance would make
    /// key files of its own, and a link, export or mask made by one would not be recognised by another.
    /// </summary>
    private static readonly string[] SharedKeys = ["DataRights:LinkKeys", "DataRights:StatusLinkKey", "DataRights:ExportKey", "DataRights:MaskKey"];

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        if (!string.Equals(options.Provider, StorageOptions.Sqlite, StringComparison.OrdinalIgnoreCase) && !options.IsAzureTables)
        {
            failures.Add($"{StorageOptions.Section}:Provider must be '{StorageOptions.Sqlite}' or '{StorageOptions.AzureTables}', not '{options.Provider}'.");
        }

        if (options.IsAzureTables)
        {
            ValidateAzureTables(options, failures);
            ValidateExportBlobs(options, failures);
            var missing = SharedKeys.Where(key => !HasValue(configuration.GetSection(key))).ToList();
            if (missing.Count > 0)
            {
                failures.Add(
                    $"With {StorageOptions.Section}:Provider={StorageOptions.AzureTables} every instance must share its keys, so set {string.Join(", ", missing)} " +
                    "(key files made in one instance's data folder would not be known to the others).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool HasValue(IConfigurationSection section) => !string.IsNullOrEmpty(section.Value) || section.GetChildren().Any(HasValue);

    private static void ValidateAzureTables(StorageOptions options, List<string> failures)
    {
        const string Section = StorageOptions.Section;
        if (!Uri.TryCreate(options.TableEndpoint, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{Section}:TableEndpoint must be the Table service address (https://<account>.table.core.windows.net) when the provider is {StorageOptions.AzureTables}.");
            return;
        }

        if (endpoint.Scheme == Uri.UriSchemeHttp && !endpoint.IsLoopback)
        {
            failures.Add($"{Section}:TableEndpoint must use https (http only on loopback, for Azurite).");
        }

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

        if (options.UseManagedIdentity && endpoint.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add($"{Section}:UseManagedIdentity needs an https {Section}:TableEndpoint (bearer tokens are never sent in clear).");
        }

        if (!string.IsNullOrWhiteSpace(options.ManagedIdentityClientId) && (!options.UseManagedIdentity || !Guid.TryParse(options.ManagedIdentityClientId, out _)))
        {
            failures.Add($"{Section}:ManagedIdentityClientId must be a client id (GUID), and only with UseManagedIdentity=true.");
        }

        if (string.IsNullOrEmpty(options.AccountName) && string.IsNullOrEmpty(endpoint.AbsolutePath.Trim('/')) && endpoint.HostNameType != UriHostNameType.Dns)
        {
            failures.Add($"{Section}:AccountName is needed when the endpoint does not name the account.");
        }
    }

    private static void ValidateExportBlobs(StorageOptions options, List<string> failures)
    {
        const string Section = StorageOptions.Section;
        if (!Uri.TryCreate(options.BlobEndpoint, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{Section}:BlobEndpoint must be the Blob service address (https://<account>.blob.core.windows.net) when the provider is {StorageOptions.AzureTables}: exports are kept there.");
        }
        else if (endpoint.Scheme == Uri.UriSchemeHttp && !endpoint.IsLoopback)
        {
            failures.Add($"{Section}:BlobEndpoint must use https (http only on loopback, for Azurite).");
        }
        else if (options.UseManagedIdentity && endpoint.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add($"{Section}:UseManagedIdentity needs an https {Section}:BlobEndpoint (bearer tokens are never sent in clear).");
        }

        if (!AzureBlobConnection.IsContainerName(options.ExportContainer))
        {
            failures.Add($"{Section}:ExportContainer must be a Blob container name: 3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit (not '{options.ExportContainer}').");
        }
    }

    private static bool IsBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) && written > 0;
    }
}
