using Azure.Data.Tables;
using Azure.Storage.Blobs;
using DataRights.Host.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Storage;

public static class StorageClientsServiceCollectionExtensions
{
    /// <summary>
    /// The one registration of the storage account's clients: a <see cref="TableServiceClient"/> (every Table-backed
    /// store and the data-protection key ring) and a <see cref="BlobServiceClient"/> (exports), each made once from
    /// <see cref="StorageAccount"/> after the storage settings have passed validation, with the same retry policy
    /// (<see cref="StorageClientDefaults"/>). The SDK's warnings reach the logs through <see cref="AzureSdkWarnings"/>;
    /// <c>AddAzureClients</c> is not used, as the log forwarder it starts listens to every SDK event at Verbose.
    /// </summary>
    public static IServiceCollection AddStorageAzureClients(this IServiceCollection services)
    {
        // Resolving the options runs their validation first: a client is never made from settings that failed it.
        services.AddSingleton(sp =>
        {
            var failures = new List<string>();
            return StorageAccount.Resolve(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<IConfiguration>(), failures)
                ?? throw new OptionsValidationException(StorageOptions.Section, typeof(StorageOptions), failures);
        });
        services.AddOptions<StorageClientDefaults>();
        services.AddSingleton(sp => sp.GetRequiredService<StorageAccount>().CreateTableServiceClient(
            sp.GetRequiredService<IOptions<StorageClientDefaults>>().Value.Apply(new TableClientOptions())));
        services.AddSingleton(sp => sp.GetRequiredService<StorageAccount>().CreateBlobServiceClient(
            sp.GetRequiredService<IOptions<StorageClientDefaults>>().Value.Apply(new BlobClientOptions())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AzureSdkWarnings>());
        return services;
    }
}
