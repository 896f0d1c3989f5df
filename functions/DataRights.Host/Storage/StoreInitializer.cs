using DataRights.Storage.Sqlite;

namespace DataRights.Host.Storage;

/// <summary>Creates or migrates the database in the "starting" phase, before the server accepts a request.</summary>
internal sealed class StoreInitializer(SqliteDatabase database, ILogger<StoreInitializer> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var version = await SqliteMigrator.MigrateAsync(database, RequestStoreSchema.Migrations, cancellationToken);
        logger.StoreReady(version, database.Path);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
