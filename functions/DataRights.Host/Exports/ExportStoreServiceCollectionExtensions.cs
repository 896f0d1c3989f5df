using Azure.Storage.Blobs;
using DataRights.Core.Ports;
using DataRights.Host.Storage;
using DataRights.Storage.AzureTables.Blobs;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Exports;

public static class ExportStoreServiceCollectionExtensions
{
    /// <summary>
    /// Exports in Azure Blob storage (the storage account's <see cref="BlobServiceClient"/> and <c>DataRights:Storage:ExportContainer</c>);
    /// the container is made at start. Part of <see cref="StorageServiceCollectionExtensions.AddAzureTableStores"/>,
    /// which registers the clients.
    /// </summary>
    public static IServiceCollection AddAzureBlobExportStore(this IServiceCollection services)
    {
        services.RemoveAll<IExportStore>();
        services.AddSingleton(sp => new AzureBlobExportStore(
            AzureBlobConnection.FromServiceClient(sp.GetRequiredService<BlobServiceClient>(), sp.GetRequiredService<IOptions<StorageOptions>>().Value.ExportContainer)));
        services.AddSingleton<IExportStore>(sp => sp.GetRequiredService<AzureBlobExportStore>());
        services.AddHostedService<AzureBlobExportStoreInitializer>();
        return services;
    }
}
