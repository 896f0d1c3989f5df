using DataRights.Core.Audit;
using DataRights.Core.Retention;

namespace DataRights.Storage.Sqlite;

/// <summary>Source leases as rows (holder, expiry): taken only when free, expired, or already the caller's.</summary>
public sealed class SqliteSourceLeaseStore(SqliteDatabase database) : ISourceLeaseStore
{
    public Task<bool> TryAcquireAsync(string sourceKey, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText =
                    "INSERT INTO source_leases (source_key, holder, expires_at) VALUES ($source, $holder, $until) " +
                    "ON CONFLICT (source_key) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at " +
                    "WHERE source_leases.holder = excluded.holder OR source_leases.expires_at <= $now";
                command.Parameters.AddWithValue("$source", sourceKey);
                command.Parameters.AddWithValue("$holder", holder);
                command.Parameters.AddWithValue("$until", AuditChain.FormatInstant(now + duration));
                command.Parameters.AddWithValue("$now", AuditChain.FormatInstant(now));
                return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
            },
            cancellationToken);

    public Task ReleaseAsync(string sourceKey, string holder, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "DELETE FROM source_leases WHERE source_key = $source AND holder = $holder";
                command.Parameters.AddWithValue("$source", sourceKey);
                command.Parameters.AddWithValue("$holder", holder);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);
}
