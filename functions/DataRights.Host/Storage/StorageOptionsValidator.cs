using DataRights.Storage.AzureTables.Blobs;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Storage;

/// <summary>Cross-field rules of <see cref="StorageOptions"/>, each failure naming the setting to fix.</summary>
internal sealed class StorageOptionsValidator(IConfiguration configuration, IServiceProvider services) : IValidateOptions<StorageOptions>
{
    /// <summary>
    /// The keys every instance must share once the store is shared: without them each instance would make
    /// key files of its own, and a link, export, mask or address hash made by one would not be recognised by another.
    /// </summary>
    private static readonly string[] KeysEveryInstanceNeeds =
        ["DataRights:LinkKeys", "DataRights:StatusLinkKey", "DataRights:ExportKey", "DataRights:MaskKey", "DataRights:Verification:HashKey"];

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        if (!options.IsAzureTables)
        {
            failures.Add(
                $"{StorageOptions.Section}:Provider can only be '{StorageOptions.AzureTables}' (not '{options.Provider}'): the pipeline keeps its records in Table and Blob storage only " +
                "(Azurite locally, the storage account on Azure). Remove the setting.");
        }
        else
        {
            StorageAccount.Resolve(options, configuration, failures);
            if (!AzureBlobConnection.IsContainerName(options.ExportContainer))
            {
                failures.Add($"{StorageOptions.Section}:ExportContainer must be a Blob container name: 3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit (not '{options.ExportContainer}').");
            }

            // In Development one local instance (./run.sh) shares the store with no other, so its key files do.
            var oneLocalInstance = services.GetService<IHostEnvironment>()?.IsDevelopment() == true;
            var missing = KeysEveryInstanceNeeds.Where(key => !HasValue(configuration.GetSection(key))).ToList();
            if (missing.Count > 0 && !oneLocalInstance)
            {
                failures.Add(
                    $"Every instance shares the store, so it must share its keys too, so set {string.Join(", ", missing)} " +
                    "(key files made in one instance's data folder would not be known to the others).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool HasValue(IConfigurationSection section) => !string.IsNullOrEmpty(section.Value) || section.GetChildren().Any(HasValue);
}
