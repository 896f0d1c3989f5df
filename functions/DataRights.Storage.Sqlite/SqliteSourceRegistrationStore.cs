using DataRights.Core.Audit;
using DataRights.Core.Sources.Registry;
using DataRights.Core.Workflow;

namespace DataRights.Storage.Sqlite;

/// <summary>Registrations in the request store's file, one JSON document per source key.</summary>
public sealed class SqliteSourceRegistrationStore(SqliteDatabase database) : ISourceRegistrationStore
{
    public async Task<IReadOnlyList<StoredRegistration>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT registration, active, updated_at, updated_by FROM data_sources ORDER BY key";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<StoredRegistration>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new StoredRegistration(
                WorkflowJson.Deserialize<SourceRegistration>(reader.GetString(0)),
                reader.GetInt64(1) == 1,
                AuditChain.ParseInstant(reader.GetString(2)),
                reader.GetString(3)));
        }

        return list;
    }

    public Task SaveAsync(SourceRegistration registration, string actor, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText =
                    "INSERT INTO data_sources (key, registration, active, updated_at, updated_by) VALUES ($key, $registration, 1, $at, $by) " +
                    "ON CONFLICT (key) DO UPDATE SET registration = excluded.registration, active = 1, updated_at = excluded.updated_at, updated_by = excluded.updated_by";
                command.Parameters.AddWithValue("$key", registration.Key);
                command.Parameters.AddWithValue("$registration", WorkflowJson.Serialize(registration));
                command.Parameters.AddWithValue("$at", AuditChain.FormatInstant(at));
                command.Parameters.AddWithValue("$by", actor);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);

    public Task<bool> DeactivateAsync(string key, string actor, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "UPDATE data_sources SET active = 0, updated_at = $at, updated_by = $by WHERE key = $key";
                command.Parameters.AddWithValue("$key", key);
                command.Parameters.AddWithValue("$at", AuditChain.FormatInstant(at));
                command.Parameters.AddWithValue("$by", actor);
                return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
            },
            cancellationToken);
}
