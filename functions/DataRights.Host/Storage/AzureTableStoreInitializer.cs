using DataRights.Core.Ports;
using DataRights.Core.Sources.Registry;
using DataRights.Email.SendGrid.SentLog;
using DataRights.Storage.AzureTables;

namespace DataRights.Host.Storage;

/// <summary>Creates the tables (idempotent) in the "starting" phase, before anything reads or writes them.</summary>
internal sealed class AzureTableStoreInitializer(AzureTableStore store, IServiceProvider services, ILogger<AzureTableStoreInitializer> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        // Every store port must be the Table one: a queue in SQLite would never see work committed to Table storage.
        if (services.GetRequiredService<IRequestStore>() is not AzureTableRequestStore
            || services.GetRequiredService<ISourceRegistrationStore>() is not AzureTableSourceRegistrationStore
            || services.GetRequiredService<ILegalHoldStore>() is not AzureTableLegalHoldStore
            || services.GetRequiredService<IJobRunStore>() is not AzureTableJobRunStore
            || services.GetService<ISentMessageLog>() is not (null or Email.TableSentMessageLog))
        {
            throw new InvalidOperationException("Some store ports are not on Azure Table storage: AddDataRightsStorage must come after the other registrations in Program.cs.");
        }

        await store.InitializeAsync(cancellationToken);
        logger.TableStoreReady(store.Connection.Endpoint.GetLeftPart(UriPartial.Path), string.Join(", ", store.Tables));
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
