using DataRights.Core.Sources.Registry;
using DataRights.Core.Workflow;

namespace DataRights.Storage.Sqlite;

/// <summary>Legal holds as JSON documents; lifted holds stay, as evidence.</summary>
public sealed class SqliteLegalHoldStore(SqliteDatabase database) : ILegalHoldStore
{
    public async Task<IReadOnlyList<LegalHold>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT hold FROM legal_holds ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var holds = new List<LegalHold>();
        while (await reader.ReadAsync(cancellationToken))
        {
            holds.Add(WorkflowJson.Deserialize<LegalHold>(reader.GetString(0)));
        }

        return holds;
    }

    public Task PlaceAsync(LegalHold hold, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "INSERT INTO legal_holds (id, hold, active) VALUES ($id, $hold, 1)";
                command.Parameters.AddWithValue("$id", hold.Id);
                command.Parameters.AddWithValue("$hold", WorkflowJson.Serialize(hold));
                return await command.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);

    public Task<bool> LiftAsync(string id, string by, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var read = connection.CreateCommand();
                read.Transaction = transaction;
                read.CommandText = "SELECT hold FROM legal_holds WHERE id = $id AND active = 1";
                read.Parameters.AddWithValue("$id", id);
                if (await read.ExecuteScalarAsync(cancellationToken) is not string json)
                {
                    return false;
                }

                var lifted = WorkflowJson.Deserialize<LegalHold>(json) with { LiftedBy = by, LiftedAt = at };
                await using var write = connection.CreateCommand();
                write.Transaction = transaction;
                write.CommandText = "UPDATE legal_holds SET hold = $hold, active = 0 WHERE id = $id";
                write.Parameters.AddWithValue("$id", id);
                write.Parameters.AddWithValue("$hold", WorkflowJson.Serialize(lifted));
                await write.ExecuteNonQueryAsync(cancellationToken);
                return true;
            },
            cancellationToken);
}
