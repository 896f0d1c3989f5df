using DataRights.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace DataRights.Storage.Tests.Infrastructure;

/// <summary>The SQLite adapter on a migrated temp file, deleted afterwards.</summary>
public static class SqliteStores
{
    public static async Task<StoreSet> CreateAsync()
    {
        var folder = Directory.CreateTempSubdirectory("datarights-store-").FullName;
        var database = new SqliteDatabase(Path.Combine(folder, "datarights.db"));
        await SqliteMigrator.MigrateAsync(database, RequestStoreSchema.Migrations, CancellationToken.None);
        return new StoreSet(
            new SqliteRequestStore(database),
            new SqliteWorkQueue(database),
            new SqliteWorkOutbox(database),
            new SqliteSourceRegistrationStore(database),
            new SqliteLegalHoldStore(database),
            new SqliteJobRunStore(database),
            new SqliteSuppressionList(database),
            new SqliteSourceLeaseStore(database),
            new SqliteRetentionPolicyStore(database),
            new SqlitePurgeStore(database),
            new SqliteFollowUpErasureStore(database),
            () =>
            {
                database.Dispose();
                SqliteConnection.ClearAllPools();
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                    // A pooled handle may linger a moment; the OS temp cleaner takes what is left.
                }

                return ValueTask.CompletedTask;
            });
    }
}
