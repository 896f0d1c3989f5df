using System.Security.Cryptography;
using DataRights.Core.Audit;
using DataRights.Core.Ports;
using Microsoft.Data.Sqlite;

namespace DataRights.Storage.Sqlite;

/// <summary>
/// The work queue in the same SQLite file as the requests, so an effect is enqueued in the same
/// transaction as the state change that caused it (the outbox is the queue). States: pending,
/// leased, done, dead. An expired lease makes an item leasable again. A leased item's <c>not_before</c>
/// is its lease's end, so one index (state, not_before) finds both due and abandoned work.
/// </summary>
public sealed class SqliteWorkQueue(SqliteDatabase database) : IWorkQueue
{
    private const string Pending = "pending";
    private const string Leased = "leased";

    public Task<IReadOnlyList<LeasedWorkItem>> LeaseAsync(int max, DateTimeOffset now, TimeSpan leaseFor, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<LeasedWorkItem>>(
            async (connection, transaction) =>
            {
                var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText =
                    "UPDATE work_items SET state = 'leased', lease_token = $token, lease_until = $until, not_before = $until, attempts = attempts + 1 " +
                    "WHERE id IN (" +
                    "  SELECT id FROM (" +
                    "    SELECT id, not_before AS due FROM work_items WHERE state = 'pending' AND not_before <= $now" +
                    "    UNION ALL" +
                    "    SELECT id, not_before AS due FROM work_items WHERE state = 'leased' AND not_before <= $now" +
                    "  ) ORDER BY due LIMIT $max) " +
                    "RETURNING id, request_id, kind, payload, not_before, attempts";
                command.Parameters.AddWithValue("$token", token);
                command.Parameters.AddWithValue("$until", AuditChain.FormatInstant(now + leaseFor));
                command.Parameters.AddWithValue("$now", AuditChain.FormatInstant(now));
                command.Parameters.AddWithValue("$max", max);
                var leased = new List<LeasedWorkItem>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    leased.Add(new LeasedWorkItem(
                        new WorkItem(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), AuditChain.ParseInstant(reader.GetString(4))),
                        reader.GetInt32(5),
                        token));
                }

                return leased;
            },
            cancellationToken);

    public Task<bool> CompleteAsync(LeasedWorkItem item, DateTimeOffset now, CancellationToken cancellationToken) =>
        FinishAsync(item, "state = 'done', finished_at = $now, lease_token = NULL, lease_until = NULL", ("$now", AuditChain.FormatInstant(now)), null, cancellationToken);

    public Task<bool> RetryAsync(LeasedWorkItem item, DateTimeOffset notBefore, string error, CancellationToken cancellationToken) =>
        FinishAsync(item, "state = 'pending', not_before = $now, last_error = $error, lease_token = NULL, lease_until = NULL", ("$now", AuditChain.FormatInstant(notBefore)), error, cancellationToken);

    public Task<bool> DeadLetterAsync(LeasedWorkItem item, DateTimeOffset now, string error, CancellationToken cancellationToken) =>
        FinishAsync(item, "state = 'dead', finished_at = $now, last_error = $error, lease_token = NULL, lease_until = NULL", ("$now", AuditChain.FormatInstant(now)), error, cancellationToken);

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT MIN(due) FROM (SELECT MIN(not_before) AS due FROM work_items WHERE state = 'pending' " +
            "UNION ALL SELECT MIN(not_before) FROM work_items WHERE state = 'leased')";
        return await command.ExecuteScalarAsync(cancellationToken) is string text ? AuditChain.ParseInstant(text) : null;
    }

    public async Task<IReadOnlyDictionary<string, int>> CountsAsync(string requestId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT state, COUNT(*) FROM work_items WHERE request_id = $id GROUP BY state";
        command.Parameters.AddWithValue("$id", requestId);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal) { [Pending] = 0, [Leased] = 0, ["done"] = 0, ["dead"] = 0 };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt32(1);
        }

        return counts;
    }

    /// <summary>
    /// Inserts new work items inside the caller's transaction, in one multi-row statement; an id already
    /// queued is left as it is (a replayed effect is not queued twice).
    /// </summary>
    internal static async Task InsertAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<WorkItem> items, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
        {
            return;
        }

        var rows = new List<string>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            rows.Add($"($id{i}, $r{i}, $k{i}, $p{i}, $nb{i}, 'pending', $now)");
        }

        var command = SqliteDatabase.Statement(
            connection,
            transaction,
            "INSERT INTO work_items (id, request_id, kind, payload, not_before, state, created_at) VALUES " + string.Join(", ", rows) + " ON CONFLICT (id) DO NOTHING");
        command.Parameters.AddWithValue("$now", AuditChain.FormatInstant(now));
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            command.Parameters.AddWithValue($"$id{i}", item.Id);
            command.Parameters.AddWithValue($"$r{i}", item.RequestId);
            command.Parameters.AddWithValue($"$k{i}", item.Kind);
            command.Parameters.AddWithValue($"$p{i}", item.Payload);
            command.Parameters.AddWithValue($"$nb{i}", AuditChain.FormatInstant(item.NotBefore));
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private Task<bool> FinishAsync(LeasedWorkItem item, string set, (string Name, string Value) time, string? error, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = $"UPDATE work_items SET {set} WHERE id = $id AND state = 'leased' AND lease_token = $token";
                command.Parameters.AddWithValue("$id", item.Item.Id);
                command.Parameters.AddWithValue("$token", item.LeaseToken);
                command.Parameters.AddWithValue(time.Name, time.Value);
                if (error is not null)
                {
                    command.Parameters.AddWithValue("$error", error.Length > 2000 ? error[..2000] : error);
                }

                return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
            },
            cancellationToken);

}
