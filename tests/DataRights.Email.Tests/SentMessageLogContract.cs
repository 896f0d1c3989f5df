using DataRights.Email.SendGrid.SentLog;

namespace DataRights.Email.Tests;

/// <summary>What every <see cref="ISentMessageLog"/> must do (the Table storage log runs its own tests on Azurite).</summary>
public abstract class SentMessageLogContract
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hold = TimeSpan.FromMinutes(2);

    protected abstract ISentMessageLog Log { get; }

    /// <summary>A send as the sender makes it: claimed, then recorded.</summary>
    private async Task SentAsync(string messageId, string? providerId) =>
        await Log.RecordAsync(await Log.ClaimAsync(messageId, Now, Hold), providerId);

    [Fact]
    public async Task FindAsync_NeverRecorded_ReturnsNull() =>
        Assert.Null(await Log.FindAsync("req-1:msg:never"));

    [Fact]
    public async Task RecordAsync_WithProviderId_FindReturnsIt()
    {
        await SentAsync("req-1:msg:a", "sg-a");

        Assert.Equal("sg-a", await Log.FindAsync("req-1:msg:a"));
    }

    [Fact]
    public async Task RecordAsync_WithoutProviderId_FindReturnsEmptyString()
    {
        await SentAsync("req-1:msg:b", null);

        Assert.Equal(string.Empty, await Log.FindAsync("req-1:msg:b"));
    }

    [Fact]
    public async Task RecordAsync_SameIdTwice_KeepsFirstRecord()
    {
        var first = await Log.ClaimAsync("req-1:msg:c", Now, Hold);
        await Log.RecordAsync(first, "sg-first");
        await Log.RecordAsync(first, "sg-second");

        Assert.Equal("sg-first", await Log.FindAsync("req-1:msg:c"));
        Assert.Equal(new SendClaim("req-1:msg:c", SendClaimStatus.Sent, ProviderId: "sg-first"), await Log.ClaimAsync("req-1:msg:c", Now, Hold));
    }

    [Fact]
    public async Task FindAsync_IdsDifferOnlyInCase_AreDifferentMessages()
    {
        await SentAsync("req-1:msg:D", "sg-d");

        Assert.Null(await Log.FindAsync("req-1:msg:d"));
        Assert.Equal(SendClaimStatus.Claimed, (await Log.ClaimAsync("req-1:msg:d", Now, Hold)).Status);
    }

    [Fact]
    public async Task RecordAsync_IdWithSqlMetacharacters_IsStoredAsData()
    {
        const string id = "x'); DROP TABLE sent_messages; --";
        await SentAsync(id, "sg-'quoted'");

        Assert.Equal("sg-'quoted'", await Log.FindAsync(id));
        Assert.Null(await Log.FindAsync("x"));
    }

    [Fact]
    public async Task ClaimAsync_WhileAnotherRunHoldsTheMessage_IsHeldUntilThatHoldEnds_AndIsNoSend()
    {
        var first = await Log.ClaimAsync("req-1:msg:e", Now, Hold);
        var second = await Log.ClaimAsync("req-1:msg:e", Now + TimeSpan.FromSeconds(30), Hold);

        Assert.Equal((SendClaimStatus.Claimed, Now + Hold), (first.Status, first.HeldUntil));
        Assert.Equal(new SendClaim("req-1:msg:e", SendClaimStatus.Held, Now + Hold), second);
        Assert.Null(await Log.FindAsync("req-1:msg:e"));
    }

    [Fact]
    public async Task ClaimAsync_OnceTheHoldOfARunThatDiedRunsOut_TakesItOver_AndTheDeadRunCanNeitherExtendNorLetGoOfIt()
    {
        var dead = await Log.ClaimAsync("req-1:msg:f", Now, Hold);
        var later = Now + Hold + TimeSpan.FromSeconds(1);

        var taken = await Log.ClaimAsync("req-1:msg:f", later, Hold);
        Assert.Equal((SendClaimStatus.Claimed, later + Hold), (taken.Status, taken.HeldUntil));

        Assert.Null(await Log.ExtendAsync(dead, later + TimeSpan.FromHours(1)));
        await Log.ReleaseAsync(dead);
        Assert.Equal(new SendClaim("req-1:msg:f", SendClaimStatus.Held, later + Hold), await Log.ClaimAsync("req-1:msg:f", later, Hold));
    }

    [Fact]
    public async Task ExtendAsync_HoldsTheClaimLonger_AndReleaseAsync_LetsTheNextRunClaimAtOnce()
    {
        var claim = await Log.ClaimAsync("req-1:msg:g", Now, Hold);
        var extended = await Log.ExtendAsync(claim, Now + TimeSpan.FromMinutes(10));

        Assert.Equal(Now + TimeSpan.FromMinutes(10), extended?.HeldUntil);
        var meanwhile = Now + Hold + TimeSpan.FromMinutes(1);
        Assert.Equal(new SendClaim("req-1:msg:g", SendClaimStatus.Held, Now + TimeSpan.FromMinutes(10)), await Log.ClaimAsync("req-1:msg:g", meanwhile, Hold));

        await Log.ReleaseAsync(extended!);
        Assert.Equal(SendClaimStatus.Claimed, (await Log.ClaimAsync("req-1:msg:g", meanwhile, Hold)).Status);
        Assert.Null(await Log.FindAsync("req-1:msg:g"));
    }

    [Fact]
    public async Task RecordAsync_ByARunWhoseHoldWasTakenOver_StillRecordsTheSend_SoTheRunThatTookItOverSendsNoSecond()
    {
        var slow = await Log.ClaimAsync("req-1:msg:h", Now, Hold);
        var later = Now + Hold + TimeSpan.FromSeconds(1);
        var other = await Log.ClaimAsync("req-1:msg:h", later, Hold);

        // The slow run's send went through after all: what it records stands, and the other's record keeps it.
        await Log.RecordAsync(slow, "sg-slow");
        await Log.RecordAsync(other, "sg-other");

        Assert.Equal("sg-slow", await Log.FindAsync("req-1:msg:h"));
        Assert.Null(await Log.ExtendAsync(other, later + Hold));
    }
}
