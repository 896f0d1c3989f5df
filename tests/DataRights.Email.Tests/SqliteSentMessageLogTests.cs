using DataRights.Email.SendGrid.SentLog;
using Microsoft.Data.Sqlite;

namespace DataRights.Email.Tests;

/// <summary>The contract on a real SQLite file, plus what only a file can show: the schema, and surviving a restart.</summary>
public sealed class SqliteSentMessageLogTests : SentMessageLogContract, IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 3, 10, 9, 30, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("datarights-email-");
    private readonly SqliteSentMessageLog _log;

    public SqliteSentMessageLogTests()
    {
        _log = new SqliteSentMessageLog(DatabasePath, new RecordingTimeProvider(Now));
    }

    protected override ISentMessageLog Log => _log;

    private string DatabasePath => Path.Combine(_folder.FullName, "sent.db");

    [Fact]
    public async Task RecordAsync_OnNewFile_CreatesSentMessagesTable()
    {
        await _log.RecordAsync("req-1:msg:a", "sg-a");

        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var columns = connection.CreateCommand();
        columns.CommandText = "SELECT name, type, pk FROM pragma_table_info('sent_messages') ORDER BY cid;";
        var schema = new List<string>();
        await using (var reader = await columns.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                schema.Add($"{reader.GetString(0)} {reader.GetString(1)} {reader.GetInt64(2)}");
            }
        }

        Assert.Equal(["message_id TEXT 1", "provider_id TEXT 0", "sent_at TEXT 0"], schema);
        await using var row = connection.CreateCommand();
        row.CommandText = "SELECT message_id, provider_id, sent_at FROM sent_messages;";
        await using var rows = await row.ExecuteReaderAsync();
        Assert.True(await rows.ReadAsync());
        Assert.Equal("req-1:msg:a", rows.GetString(0));
        Assert.Equal("sg-a", rows.GetString(1));
        Assert.Equal(Now, DateTimeOffset.Parse(rows.GetString(2), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task RecordAsync_WithoutProviderId_StoresNull()
    {
        await _log.RecordAsync("req-1:msg:n", null);

        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT provider_id IS NULL FROM sent_messages WHERE message_id = 'req-1:msg:n';";
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task FindAsync_NewInstanceOnSameFile_SeesEarlierRecords()
    {
        await _log.RecordAsync("req-1:msg:kept", "sg-kept");

        using var reopened = new SqliteSentMessageLog(DatabasePath, TimeProvider.System);

        Assert.Equal("sg-kept", await reopened.FindAsync("req-1:msg:kept"));
    }

    [Fact]
    public async Task RecordAsync_ConcurrentSameId_KeepsOneRow()
    {
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => _log.RecordAsync("req-1:msg:race", $"sg-{i}")));

        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sent_messages WHERE message_id = 'req-1:msg:race';";
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    public void Dispose()
    {
        _log.Dispose();
        _folder.Delete(recursive: true);
    }
}
