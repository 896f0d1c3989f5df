using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Storage;

public static class StorageClientsServiceCollectionExtensions
{
    /// <summary>
    /// The one registration of the storage account's clients, through <c>AddAzureClients</c>: a
    /// <see cref="TableServiceClient"/> (every Table-backed store and the data-protection key ring) and a
    /// <see cref="BlobServiceClient"/> (exports), made from <see cref="StorageAccount"/> once the storage settings
    /// have passed validation, with the same retry policy for both.
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
        services.AddAzureClients(clients =>
        {
            clients.AddClient<TableServiceClient, TableClientOptions>((options, sp) => sp.GetRequiredService<StorageAccount>().CreateTableServiceClient(options));
            clients.AddClient<BlobServiceClient, BlobClientOptions>((options, sp) => sp.GetRequiredService<StorageAccount>().CreateBlobServiceClient(options));
            clients.ConfigureDefaults(options =>
            {
                options.Retry.Mode = RetryMode.Exponential;
                options.Retry.MaxRetries = 3;
                options.Retry.Delay = TimeSpan.FromMilliseconds(200);
                options.Retry.MaxDelay = TimeSpan.FromSeconds(5);
                options.Diagnostics.ApplicationId = "DataRights";
            });
        });
        return services;
    }
}
