using System.Globalization;
using DataRights.Core.Audit;
using DataRights.Core.Deadlines;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using Microsoft.Data.Sqlite;

namespace DataRights.Storage.Sqlite;

/// <summary>The request store on SQLite. All SQL is parameterised; instants are stored as fixed-width UTC text so they sort.</summary>
public sealed class SqliteRequestStore(SqliteDatabase database) : IRequestStore, IRequestListing
{
    private const string RequestColumns =
        "id, reference, type, status, jurisdiction, channel, email, full_name, account_reference, details, received_at, " +
        "regime, received_on, due_on, acknowledge_by, status_token_hash, fingerprint, version, updated_at, audit_seq, audit_head, progress";

    private const string DuplicateQuery =
        $"SELECT {RequestColumns} FROM requests WHERE fingerprint = $fingerprint AND received_at >= $since ORDER BY received_at DESC LIMIT 1";

    private const string InsertRequest =
        $"INSERT INTO requests ({RequestColumns}) VALUES ($id, $reference, $type, $status, $jurisdiction, $channel, $email, $full_name, " +
        "$account_reference, $details, $received_at, $regime, $received_on, $due_on, $acknowledge_by, $status_token_hash, $fingerprint, $version, $updated_at, " +
        "$audit_seq, $audit_head, $progress)";

    public Task<SubmitOutcome> SubmitAsync(NewRequest request, DateTimeOffset duplicateSince, Func<DataSubjectRequest, Decision> start, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                var duplicate = SqliteDatabase.Statement(connection, transaction, DuplicateQuery);
                duplicate.Parameters.AddWithValue("$fingerprint", request.Fingerprint);
                duplicate.Parameters.AddWithValue("$since", AuditChain.FormatInstant(duplicateSince));
                await using (var reader = await duplicate.ExecuteReaderAsync(cancellationToken))
                {
                    if (await reader.ReadAsync(cancellationToken))
                    {
                        return new SubmitOutcome(ReadRequest(reader), Created: false);
                    }
                }

                var year = request.ReceivedAt.UtcDateTime.Year;
                var number = await NextReferenceNumberAsync(connection, transaction, year, cancellationToken);
                var (stored, entries, items) = FirstWrite.Prepare(request, RequestReference.Format(year, number), start);
                EnsureFits(entries.Count, items.Count);
                await InsertRequestAsync(connection, transaction, stored, cancellationToken);
                await SqliteAuditRows.InsertAsync(connection, transaction, SqliteAuditRows.RequestTrail, entries, cancellationToken);

                await SqliteWorkQueue.InsertAsync(connection, transaction, items, stored.UpdatedAt, cancellationToken);
                return new SubmitOutcome(stored, Created: true);
            },
            cancellationToken);

    public Task<bool> CommitAsync(
        DataSubjectRequest updated,
        long expectedVersion,
        IReadOnlyList<AuditEntry> audit,
        IReadOnlyList<WorkItem> workItems,
        CancellationToken cancellationToken)
    {
        EnsureFits(audit.Count, workItems.Count);
        return database.WriteAsync(
            async (connection, transaction) =>
            {
                {
                    var command = SqliteDatabase.Statement(
                        connection,
                        transaction,
                        "UPDATE requests SET status = $status, due_on = $due_on, progress = $progress, version = $version, updated_at = $updated_at, " +
                        "audit_seq = $audit_seq, audit_head = $audit_head WHERE id = $id AND version = $expected");
                    command.Parameters.AddWithValue("$status", updated.Status.Name());
                    command.Parameters.AddWithValue("$due_on", FormatDate(updated.Deadline.DueOn));
                    command.Parameters.AddWithValue("$progress", WorkflowJson.Serialize(updated.Progress));
                    command.Parameters.AddWithValue("$version", updated.Version);
                    command.Parameters.AddWithValue("$updated_at", AuditChain.FormatInstant(updated.UpdatedAt));
                    command.Parameters.AddWithValue("$audit_seq", updated.AuditHead.Sequence);
                    command.Parameters.AddWithValue("$audit_head", updated.AuditHead.Hash);
                    command.Parameters.AddWithValue("$id", updated.Id);
                    command.Parameters.AddWithValue("$expected", expectedVersion);
                    if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
                    {
                        return false;
                    }
                }

                await SqliteAuditRows.InsertAsync(connection, transaction, SqliteAuditRows.RequestTrail, audit, cancellationToken);

                await SqliteWorkQueue.InsertAsync(connection, transaction, workItems, updated.UpdatedAt, cancellationToken);
                return true;
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<DataSubjectRequest>> ListOpenAsync(int max, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT {RequestColumns} FROM requests WHERE status NOT IN ('completed', 'rejected', 'expired') ORDER BY due_on, received_at, id LIMIT $max";
        command.Parameters.AddWithValue("$max", max);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<DataSubjectRequest>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(ReadRequest(reader));
        }

        return list;
    }

    public async Task<OpenRequestPage> ListOpenPageAsync(int max, OpenRequestCursor? after, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT {RequestColumns} FROM requests WHERE status NOT IN ('completed', 'rejected', 'expired') " +
            (after is null ? string.Empty : "AND (due_on, received_at, id) > ($due_on, $received_at, $id) ") +
            "ORDER BY due_on, received_at, id LIMIT $limit";
        command.Parameters.AddWithValue("$limit", max + 1);
        if (after is not null)
        {
            command.Parameters.AddWithValue("$due_on", FormatDate(after.DueOn));
            command.Parameters.AddWithValue("$received_at", AuditChain.FormatInstant(after.ReceivedAt));
            command.Parameters.AddWithValue("$id", after.Id);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<DataSubjectRequest>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(ReadRequest(reader));
        }

        // One more than asked for says whether another page follows.
        return list.Count > max
            ? new OpenRequestPage(list[..max], OpenRequestCursor.After(list[max - 1]))
            : new OpenRequestPage(list, null);
    }

    public async Task<IReadOnlyList<DataSubjectRequest>> ListCompletedAsync(RequestType type, int max, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {RequestColumns} FROM requests WHERE type = $type AND status = 'completed' ORDER BY received_at LIMIT $max";
        command.Parameters.AddWithValue("$type", type.Name());
        command.Parameters.AddWithValue("$max", max);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<DataSubjectRequest>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(ReadRequest(reader));
        }

        return list;
    }

    public async Task<DataSubjectRequest?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await QuerySingleAsync(connection, null, $"SELECT {RequestColumns} FROM requests WHERE id = $id", [("$id", id)], cancellationToken);
    }

    public async Task<DataSubjectRequest?> FindByStatusTokenHashAsync(string statusTokenHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await QuerySingleAsync(
            connection, null, $"SELECT {RequestColumns} FROM requests WHERE status_token_hash = $hash", [("$hash", statusTokenHash)], cancellationToken);
    }

    public async Task<DataSubjectRequest?> FindAwaitingVerificationAsync(string email, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await QuerySingleAsync(
            connection,
            null,
            $"SELECT {RequestColumns} FROM requests WHERE email = $email AND status = 'awaiting_verification' ORDER BY received_at DESC LIMIT 1",
            [("$email", email)],
            cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> GetAuditTrailAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT request_id, seq, at, actor, action, from_status, to_status, details, previous_hash, hash " +
            "FROM audit_entries WHERE request_id = $id ORDER BY seq";
        command.Parameters.AddWithValue("$id", id);
        return await SqliteAuditRows.ReadAsync(command, cancellationToken);
    }

    private static async Task<long> NextReferenceNumberAsync(SqliteConnection connection, SqliteTransaction transaction, int year, CancellationToken cancellationToken)
    {
        var command = SqliteDatabase.Statement(
            connection,
            transaction,
            "INSERT INTO reference_counters (year, last) VALUES ($year, 1) ON CONFLICT (year) DO UPDATE SET last = last + 1 RETURNING last");
        command.Parameters.AddWithValue("$year", year);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task InsertRequestAsync(SqliteConnection connection, SqliteTransaction transaction, DataSubjectRequest r, CancellationToken cancellationToken)
    {
        var command = SqliteDatabase.Statement(connection, transaction, InsertRequest);
        command.Parameters.AddWithValue("$id", r.Id);
        command.Parameters.AddWithValue("$reference", r.Reference);
        command.Parameters.AddWithValue("$type", r.Type.Name());
        command.Parameters.AddWithValue("$status", r.Status.Name());
        command.Parameters.AddWithValue("$jurisdiction", r.Jurisdiction.Name());
        command.Parameters.AddWithValue("$channel", r.Channel.Name());
        command.Parameters.AddWithValue("$email", r.Email);
        command.Parameters.AddWithValue("$full_name", r.FullName);
        command.Parameters.AddWithValue("$account_reference", (object?)r.AccountReference ?? DBNull.Value);
        command.Parameters.AddWithValue("$details", (object?)r.Details ?? DBNull.Value);
        command.Parameters.AddWithValue("$received_at", AuditChain.FormatInstant(r.ReceivedAt));
        command.Parameters.AddWithValue("$regime", r.Deadline.RegimeKey);
        command.Parameters.AddWithValue("$received_on", FormatDate(r.Deadline.ReceivedOn));
        command.Parameters.AddWithValue("$due_on", FormatDate(r.Deadline.DueOn));
        command.Parameters.AddWithValue("$acknowledge_by", r.Deadline.AcknowledgeBy is { } ack ? FormatDate(ack) : DBNull.Value);
        command.Parameters.AddWithValue("$status_token_hash", r.StatusTokenHash);
        command.Parameters.AddWithValue("$fingerprint", r.Fingerprint);
        command.Parameters.AddWithValue("$version", r.Version);
        command.Parameters.AddWithValue("$updated_at", AuditChain.FormatInstant(r.UpdatedAt));
        command.Parameters.AddWithValue("$audit_seq", r.AuditHead.Sequence);
        command.Parameters.AddWithValue("$audit_head", r.AuditHead.Hash);
        command.Parameters.AddWithValue("$progress", WorkflowJson.Serialize(r.Progress));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<DataSubjectRequest?> QuerySingleAsync(
        SqliteConnection connection,
        SqliteTransaction? transaction,
        string sql,
        IEnumerable<(string Name, object Value)> parameters,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRequest(reader) : null;
    }

    private static DataSubjectRequest ReadRequest(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Reference = reader.GetString(1),
        Type = WireNames.ParseType(reader.GetString(2)),
        Status = WireNames.ParseStatus(reader.GetString(3)),
        Jurisdiction = WireNames.ParseJurisdiction(reader.GetString(4)),
        Channel = WireNames.ParseChannel(reader.GetString(5)),
        Email = reader.GetString(6),
        FullName = reader.GetString(7),
        AccountReference = reader.IsDBNull(8) ? null : reader.GetString(8),
        Details = reader.IsDBNull(9) ? null : reader.GetString(9),
        ReceivedAt = AuditChain.ParseInstant(reader.GetString(10)),
        Deadline = new Deadline(
            reader.GetString(11),
            ParseDate(reader.GetString(12)),
            ParseDate(reader.GetString(13)),
            reader.IsDBNull(14) ? null : ParseDate(reader.GetString(14))),
        StatusTokenHash = reader.GetString(15),
        Fingerprint = reader.GetString(16),
        Version = reader.GetInt64(17),
        UpdatedAt = AuditChain.ParseInstant(reader.GetString(18)),
        AuditHead = new AuditHead(reader.GetInt64(19), reader.GetString(20)),
        Progress = WorkflowJson.Deserialize<RequestProgress>(reader.GetString(21)),
    };

    private static void EnsureFits(int auditEntries, int workItems) => IRequestStore.EnsureFits(1 + auditEntries + workItems, "state change");

    private static string FormatDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

}
