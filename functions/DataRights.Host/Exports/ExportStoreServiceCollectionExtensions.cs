using Azure.Storage.Blobs;
using DataRights.Core.Ports;
using DataRights.Host.Hosting;
using DataRights.Host.Storage;
using DataRights.Storage.AzureTables.Blobs;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Exports;

public static class ExportStoreServiceCollectionExtensions
{
    /// <summary>The stand-alone default: exports in the data folder's <c>exports/</c> (kept unless a store is registered already).</summary>
    public static IServiceCollection AddFileExportStore(this IServiceCollection services)
    {
        services.TryAddSingleton<IExportStore>(sp =>
            new FileExportStore(Path.Combine(Path.GetFullPath(sp.GetRequiredService<IOptions<DataRightsOptions>>().Value.DataDirectory), "exports")));
        return services;
    }

    /// <summary>
    /// Exports in Azure Blob storage (the storage account's <see cref="BlobServiceClient"/> and <c>DataRights:Storage:ExportContainer</c>),
    /// replacing the folder store; the container is made at start. Part of <see cref="StorageServiceCollectionExtensions.AddAzureTableStores"/>,
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
