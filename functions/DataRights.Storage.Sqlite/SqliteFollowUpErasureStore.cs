using System.Globalization;
using DataRights.Core.Audit;
using DataRights.Core.Requests;
using DataRights.Core.Retention;
using Microsoft.Data.Sqlite;

namespace DataRights.Storage.Sqlite;

/// <summary>Follow-up erasures in the request store's file, so finishing one and auditing it on its request is one transaction.</summary>
public sealed class SqliteFollowUpErasureStore(SqliteDatabase database) : IFollowUpErasureStore
{
    private const string Columns = "id, request_id, source_key, category, due_on, state, created_at, updated_at, note";

    public Task ScheduleAsync(FollowUpErasure followUp, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => InsertAsync(connection, transaction, followUp, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<FollowUpErasure>> DueAsync(DateOnly today, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT {Columns} FROM follow_up_erasures WHERE state IN ('pending', 'held') AND due_on <= $today ORDER BY due_on, id";
        command.Parameters.AddWithValue("$today", Format(today));
        return await ReadAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<FollowUpErasure>> ListAsync(string? requestId, int max, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT {Columns} FROM follow_up_erasures WHERE ($request IS NULL OR request_id = $request) ORDER BY due_on DESC, id LIMIT $max";
        command.Parameters.AddWithValue("$request", (object?)requestId ?? DBNull.Value);
        command.Parameters.AddWithValue("$max", max);
        return await ReadAsync(command, cancellationToken);
    }

    public Task<bool> RecordAsync(
        FollowUpErasure followUp,
        DataSubjectRequest request,
        long expectedVersion,
        IReadOnlyList<AuditEntry> audit,
        IReadOnlyList<FollowUpErasure> next,
        CancellationToken cancellationToken)
    {
        FollowUpErasure.EnsureFits(audit.Count, next.Count);

        return database.WriteAsync(
            async (connection, transaction) =>
            {
                await using (var command = connection.CreateCommand())
                {
                    command.Transaction = transaction;
                    command.CommandText =
                        "UPDATE requests SET version = $version, updated_at = $updated_at, audit_seq = $audit_seq, audit_head = $audit_head " +
                        "WHERE id = $id AND version = $expected";
                    command.Parameters.AddWithValue("$version", request.Version);
                    command.Parameters.AddWithValue("$updated_at", AuditChain.FormatInstant(request.UpdatedAt));
                    command.Parameters.AddWithValue("$audit_seq", request.AuditHead.Sequence);
                    command.Parameters.AddWithValue("$audit_head", request.AuditHead.Hash);
                    command.Parameters.AddWithValue("$id", request.Id);
                    command.Parameters.AddWithValue("$expected", expectedVersion);
                    if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
                    {
                        return false;
                    }
                }

                await SqliteAuditRows.InsertAsync(connection, transaction, SqliteAuditRows.RequestTrail, audit, cancellationToken);
                await using (var command = connection.CreateCommand())
                {
                    command.Transaction = transaction;
                    command.CommandText = "UPDATE follow_up_erasures SET state = $state, updated_at = $at, note = $note WHERE id = $id";
                    command.Parameters.AddWithValue("$id", followUp.Id);
                    command.Parameters.AddWithValue("$state", followUp.State);
                    command.Parameters.AddWithValue("$at", AuditChain.FormatInstant(followUp.UpdatedAt));
                    command.Parameters.AddWithValue("$note", (object?)followUp.Note ?? DBNull.Value);
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }

                foreach (var f in next)
                {
                    await InsertAsync(connection, transaction, f, cancellationToken);
                }

                return true;
            },
            cancellationToken);
    }

    private static async Task<int> InsertAsync(SqliteConnection connection, SqliteTransaction transaction, FollowUpErasure f, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            $"INSERT INTO follow_up_erasures ({Columns}) VALUES ($id, $request, $source, $category, $due, $state, $created, $updated, $note) ON CONFLICT (id) DO NOTHING";
        command.Parameters.AddWithValue("$id", f.Id);
        command.Parameters.AddWithValue("$request", f.RequestId);
        command.Parameters.AddWithValue("$source", f.SourceKey);
        command.Parameters.AddWithValue("$category", f.Category);
        command.Parameters.AddWithValue("$due", Format(f.DueOn));
        command.Parameters.AddWithValue("$state", f.State);
        command.Parameters.AddWithValue("$created", AuditChain.FormatInstant(f.CreatedAt));
        command.Parameters.AddWithValue("$updated", AuditChain.FormatInstant(f.UpdatedAt));
        command.Parameters.AddWithValue("$note", (object?)f.Note ?? DBNull.Value);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<IReadOnlyList<FollowUpErasure>> ReadAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<FollowUpErasure>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new FollowUpErasure(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                DateOnly.ParseExact(reader.GetString(4), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                reader.GetString(5),
                AuditChain.ParseInstant(reader.GetString(6)),
                AuditChain.ParseInstant(reader.GetString(7)),
                reader.IsDBNull(8) ? null : reader.GetString(8)));
        }

        return list;
    }

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
