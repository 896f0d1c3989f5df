using DataRights.Email.SendGrid.SentLog;

namespace DataRights.Email.Tests;

/// <summary>What every <see cref="ISentMessageLog"/> must do; run against the in-memory log and the SQLite file log.</summary>
public abstract class SentMessageLogContract
{
    protected abstract ISentMessageLog Log { get; }

    [Fact]
    public async Task FindAsync_NeverRecorded_ReturnsNull() =>
        Assert.Null(await Log.FindAsync("req-1:msg:never"));

    [Fact]
    public async Task RecordAsync_WithProviderId_FindReturnsIt()
    {
        await Log.RecordAsync("req-1:msg:a", "sg-a");

        Assert.Equal("sg-a", await Log.FindAsync("req-1:msg:a"));
    }

    [Fact]
    public async Task RecordAsync_WithoutProviderId_FindReturnsEmptyString()
    {
        await Log.RecordAsync("req-1:msg:b", null);

        Assert.Equal(string.Empty, await Log.FindAsync("req-1:msg:b"));
    }

    [Fact]
    public async Task RecordAsync_SameIdTwice_KeepsFirstRecord()
    {
        await Log.RecordAsync("req-1:msg:c", "sg-first");
        await Log.RecordAsync("req-1:msg:c", "sg-second");

        Assert.Equal("sg-first", await Log.FindAsync("req-1:msg:c"));
    }

    [Fact]
    public async Task FindAsync_IdsDifferOnlyInCase_AreDifferentMessages()
    {
        await Log.RecordAsync("req-1:msg:D", "sg-d");

        Assert.Null(await Log.FindAsync("req-1:msg:d"));
    }

    [Fact]
    public async Task RecordAsync_IdWithSqlMetacharacters_IsStoredAsData()
    {
        const string id = "x'); DROP TABLE sent_messages; --";
        await Log.RecordAsync(id, "sg-'quoted'");

        Assert.Equal("sg-'quoted'", await Log.FindAsync(id));
        Assert.Null(await Log.FindAsync("x"));
    }
}
