using DataRights.Core.Audit;
using DataRights.Core.Ports;

namespace DataRights.Storage.Sqlite;

/// <summary>The marketing suppression list in the request store's database (hashes only).</summary>
public sealed class SqliteSuppressionList(SqliteDatabase database) : ISuppressionList
{
    public Task<bool> AddAsync(string emailHash, string requestId, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "INSERT INTO suppressions (email_hash, request_id, added_at) VALUES ($hash, $request, $at) ON CONFLICT (email_hash) DO NOTHING";
                command.Parameters.AddWithValue("$hash", emailHash);
                command.Parameters.AddWithValue("$request", requestId);
                command.Parameters.AddWithValue("$at", AuditChain.FormatInstant(at));
                return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
            },
            cancellationToken);

    public async Task<bool> ContainsAsync(string emailHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM suppressions WHERE email_hash = $hash";
        command.Parameters.AddWithValue("$hash", emailHash);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task<IReadOnlyList<SuppressionEntry>> ListAsync(string? afterHash, int max, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT email_hash, added_at FROM suppressions WHERE email_hash > $after ORDER BY email_hash LIMIT $max";
        command.Parameters.AddWithValue("$after", afterHash ?? string.Empty);
        command.Parameters.AddWithValue("$max", Math.Clamp(max, 1, 1000));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<SuppressionEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new SuppressionEntry(reader.GetString(0), AuditChain.ParseInstant(reader.GetString(1))));
        }

        return entries;
    }
}
