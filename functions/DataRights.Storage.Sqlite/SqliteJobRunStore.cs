using DataRights.Core.Audit;
using DataRights.Core.Ports;

namespace DataRights.Storage.Sqlite;

/// <summary>The last scheduled time each job ran for.</summary>
public sealed class SqliteJobRunStore(SqliteDatabase database) : IJobRunStore
{
    public async Task<DateTimeOffset?> LastRunAsync(string job, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT scheduled_for FROM job_runs WHERE name = $name";
        command.Parameters.AddWithValue("$name", job);
        return await command.ExecuteScalarAsync(cancellationToken) is string text
            ? AuditChain.ParseInstant(text)
            : null;
    }

    public Task RecordAsync(string job, DateTimeOffset scheduledFor, DateTimeOffset finishedAt, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText =
                    "INSERT INTO job_runs (name, scheduled_for, finished_at) VALUES ($name, $for, $at) " +
                    "ON CONFLICT (name) DO UPDATE SET scheduled_for = excluded.scheduled_for, finished_at = excluded.finished_at";
                command.Parameters.AddWithValue("$name", job);
                command.Parameters.AddWithValue("$for", AuditChain.FormatInstant(scheduledFor));
                command.Parameters.AddWithValue("$at", AuditChain.FormatInstant(finishedAt));
                return await command.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);
}
