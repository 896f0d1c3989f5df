using DataRights.Storage.AzureTables.Blobs;

namespace DataRights.Host.Exports;

/// <summary>Creates the export container (idempotent) in the "starting" phase, before any worker can write an export.</summary>
internal sealed class AzureBlobExportStoreInitializer(AzureBlobExportStore store, ILogger<AzureBlobExportStoreInitializer> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken);
        logger.BlobExportStoreReady(store.Connection.Endpoint.GetLeftPart(UriPartial.Path), store.Connection.Container);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
