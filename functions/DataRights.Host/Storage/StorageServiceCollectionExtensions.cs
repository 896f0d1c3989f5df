using DataRights.Core.Ports;
using DataRights.Host.Hosting;
using DataRights.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>The embedded default: one SQLite file in the data folder, migrated before the server starts.</summary>
    public static IServiceCollection AddSqliteRequestStore(this IServiceCollection services)
    {
        services.AddSingleton(sp => new SqliteDatabase(sp.GetRequiredService<IOptions<DataRightsOptions>>().Value.DatabasePath));
        services.AddSingleton<IRequestStore, SqliteRequestStore>();
        services.AddSingleton<IWorkOutbox, SqliteWorkOutbox>();
        services.AddHostedService<StoreInitializer>();
        return services;
    }
}
