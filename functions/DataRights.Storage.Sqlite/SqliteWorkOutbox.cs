using System.Security.Cryptography;
using DataRights.Core.Audit;
using DataRights.Core.Ports;
using Microsoft.Data.Sqlite;

namespace DataRights.Storage.Sqlite;

/// <summary>
/// <see cref="IWorkOutbox"/> over the same <c>work_items</c> rows as <see cref="SqliteWorkQueue"/>, for the request orchestrations, which
/// delivers the work. Two more states: <c>relaying</c> (claimed by the relay; <c>lease_until</c> is the claim's end)
/// and <c>sent</c> (its orchestration has it; <c>not_before</c> stays the due time). A delivered item is leased exactly as
/// <see cref="SqliteWorkQueue.LeaseAsync"/> leases one, so its completion, retry and dead letter are the queue's own.
/// </summary>
public sealed class SqliteWorkOutbox(SqliteDatabase database) : IWorkOutbox
{
    public Task<IReadOnlyList<OutboxItem>> ClaimUnsentAsync(int max, DateTimeOffset now, TimeSpan claimFor, TimeSpan resendAfter, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<OutboxItem>>(
            async (connection, transaction) =>
            {
                var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText =
                    "UPDATE work_items SET state = 'relaying', lease_token = $token, lease_until = $until " +
                    "WHERE id IN (" +
                    "  SELECT id FROM (" +
                    "    SELECT id, not_before AS due FROM work_items WHERE state = 'pending'" +
                    "    UNION ALL SELECT id, not_before FROM work_items WHERE state = 'relaying' AND lease_until <= $now" +
                    "    UNION ALL SELECT id, not_before FROM work_items WHERE state = 'sent' AND not_before <= $stale" +
                    "    UNION ALL SELECT id, not_before FROM work_items WHERE state = 'leased' AND not_before <= $now" +
                    "  ) ORDER BY due LIMIT $max) " +
                    "RETURNING id, request_id, kind, payload, not_before, attempts";
                command.Parameters.AddWithValue("$token", token);
                command.Parameters.AddWithValue("$until", AuditChain.FormatInstant(now + claimFor));
                command.Parameters.AddWithValue("$now", AuditChain.FormatInstant(now));
                command.Parameters.AddWithValue("$stale", AuditChain.FormatInstant(now - resendAfter));
                command.Parameters.AddWithValue("$max", max);
                var claimed = new List<OutboxItem>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    claimed.Add(new OutboxItem(ReadItem(reader), reader.GetInt32(5), token));
                }

                return claimed;
            },
            cancellationToken);

    public Task<bool> MarkSentAsync(OutboxItem item, CancellationToken cancellationToken) =>
        FinishClaimAsync(item, "state = 'sent', lease_token = NULL, lease_until = NULL", cancellationToken);

    public Task<bool> ReleaseAsync(OutboxItem item, CancellationToken cancellationToken) =>
        FinishClaimAsync(item, "state = 'pending', lease_token = NULL, lease_until = NULL", cancellationToken);

    public Task<DeliveryLease> LeaseDeliveredAsync(string id, DateTimeOffset now, TimeSpan leaseFor, TimeSpan earlyTolerance, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                string state;
                DateTimeOffset notBefore;
                await using (var read = connection.CreateCommand())
                {
                    read.Transaction = transaction;
                    read.CommandText = "SELECT state, not_before FROM work_items WHERE id = $id";
                    read.Parameters.AddWithValue("$id", id);
                    await using var reader = await read.ExecuteReaderAsync(cancellationToken);
                    if (!await reader.ReadAsync(cancellationToken))
                    {
                        return new DeliveryLease(DeliveryOutcome.NotFound);
                    }

                    state = reader.GetString(0);
                    notBefore = AuditChain.ParseInstant(reader.GetString(1));
                }

                switch (state)
                {
                    case "done" or "dead":
                        return new DeliveryLease(DeliveryOutcome.AlreadyFinished);
                    case "leased" when notBefore > now:
                        return new DeliveryLease(DeliveryOutcome.InProgress);
                    case "pending" or "relaying" or "sent" when notBefore > now + earlyTolerance:
                        return new DeliveryLease(DeliveryOutcome.NotDueYet);
                }

                var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText =
                    "UPDATE work_items SET state = 'leased', lease_token = $token, lease_until = $until, not_before = $until, attempts = attempts + 1 " +
                    "WHERE id = $id AND state = $state RETURNING id, request_id, kind, payload, $due, attempts";
                command.Parameters.AddWithValue("$token", token);
                command.Parameters.AddWithValue("$until", AuditChain.FormatInstant(now + leaseFor));
                command.Parameters.AddWithValue("$id", id);
                command.Parameters.AddWithValue("$state", state);
                command.Parameters.AddWithValue("$due", AuditChain.FormatInstant(notBefore));
                await using var leased = await command.ExecuteReaderAsync(cancellationToken);
                return await leased.ReadAsync(cancellationToken)
                    ? new DeliveryLease(DeliveryOutcome.Leased, new LeasedWorkItem(ReadItem(leased), leased.GetInt32(5), token))
                    : new DeliveryLease(DeliveryOutcome.InProgress);
            },
            cancellationToken);

    public Task<bool> ExtendLeaseAsync(LeasedWorkItem item, DateTimeOffset until, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        return database.WriteAsync(
            async (connection, transaction) =>
            {
                // A leased row's not_before is its lease's end (when the relay may take it back), so both move together.
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText =
                    "UPDATE work_items SET lease_until = $until, not_before = $until WHERE id = $id AND state = 'leased' AND lease_token = $token";
                command.Parameters.AddWithValue("$until", AuditChain.FormatInstant(until));
                command.Parameters.AddWithValue("$id", item.Item.Id);
                command.Parameters.AddWithValue("$token", item.LeaseToken);
                return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
            },
            cancellationToken);
    }

    private static WorkItem ReadItem(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), AuditChain.ParseInstant(reader.GetString(4)));

    private Task<bool> FinishClaimAsync(OutboxItem item, string set, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = $"UPDATE work_items SET {set} WHERE id = $id AND state = 'relaying' AND lease_token = $token";
                command.Parameters.AddWithValue("$id", item.Item.Id);
                command.Parameters.AddWithValue("$token", item.ClaimToken);
                return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
            },
            cancellationToken);
}
