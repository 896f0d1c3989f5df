using DataRights.Storage.AzureTables;
using DataRights.Storage.Tests.Infrastructure;
using DataRights.Testing;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>
/// The sent-message log's claims on Table storage, across instances sharing the tables: one run at a time holds a
/// message, a dead run's hold is taken over by one run once its time has passed, and a send is recorded whatever became
/// of its claim.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableSentMessagesTests(AzuriteFixture azurite)
{
    private const string MessageId = "dr_7:msg:completion:1";

    private static readonly DateTimeOffset Start = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hold = TimeSpan.FromMinutes(2);

    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task EightRunsClaimingOneMessageAtOnce_OneHoldsIt_TheOthersSeeItHeldUntilItsHoldEnds()
    {
        var clock = new FakeTimeProvider(Start);
        var one = await azurite.NewStoreAsync(clock);
        var stores = Enumerable.Range(0, 8).Select(_ => new AzureTableStore(one.Connection, clock)).ToList();

        var claims = await Task.WhenAll(stores.Select(s => s.ClaimSentMessageAsync(MessageId, Start, Start + Hold, None)));

        Assert.Single(claims, c => c.Claimed);
        Assert.All(claims.Where(c => !c.Claimed), c => Assert.Equal((false, Start + Hold), (c.Sent, c.HeldUntil)));
        Assert.Null(await one.FindSentMessageAsync(MessageId, None));
    }

    [Fact]
    public async Task ADeadRunsHold_IsTakenOverByOneRunOnceItsTimeHasPassed_AndTheDeadRunCanNeitherExtendNorLetItGo()
    {
        var clock = new FakeTimeProvider(Start);
        var one = await azurite.NewStoreAsync(clock);
        var other = new AzureTableStore(one.Connection, clock);
        var dead = await one.ClaimSentMessageAsync(MessageId, Start, Start + Hold, None);

        var later = Start + Hold + TimeSpan.FromSeconds(1);
        var takers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => other.ClaimSentMessageAsync(MessageId, later, later + Hold, None)));
        var taken = Assert.Single(takers, c => c.Claimed);

        Assert.Null(await one.ExtendSentMessageClaimAsync(MessageId, dead.ETag!, later + TimeSpan.FromHours(1), None));
        await one.ReleaseSentMessageClaimAsync(MessageId, dead.ETag!, None);
        var after = await one.ClaimSentMessageAsync(MessageId, later, later + Hold, None);
        Assert.False(after.Claimed, "the dead run's late release let the message be claimed twice");
        Assert.Equal(later + Hold, after.HeldUntil);

        // The run that took it over holds it longer, records it sent, and the record stands.
        var extended = await other.ExtendSentMessageClaimAsync(MessageId, taken.ETag!, later + TimeSpan.FromMinutes(10), None);
        Assert.NotNull(extended);
        await other.RecordSentMessageAsync(MessageId, extended, "sg-taken", None);
        Assert.Equal("sg-taken", await one.FindSentMessageAsync(MessageId, None));
    }

    [Fact]
    public async Task ASendRecordedAfterItsClaimWasTakenOverOrLetGo_IsRecorded_AndTheFirstRecordStands()
    {
        var clock = new FakeTimeProvider(Start);
        var one = await azurite.NewStoreAsync(clock);
        var slow = await one.ClaimSentMessageAsync(MessageId, Start, Start + Hold, None);
        var later = Start + Hold + TimeSpan.FromSeconds(1);
        var other = await one.ClaimSentMessageAsync(MessageId, later, later + Hold, None);

        await one.RecordSentMessageAsync(MessageId, slow.ETag, "sg-slow", None);
        await one.RecordSentMessageAsync(MessageId, other.ETag, "sg-other", None);
        Assert.Equal("sg-slow", await one.FindSentMessageAsync(MessageId, None));

        // A claim let go of before its send was recorded (the row gone): the record is written all the same.
        var released = await one.ClaimSentMessageAsync("dr_7:msg:released:1", Start, Start + Hold, None);
        await one.ReleaseSentMessageClaimAsync("dr_7:msg:released:1", released.ETag!, None);
        await one.RecordSentMessageAsync("dr_7:msg:released:1", released.ETag, null, None);
        Assert.Equal(string.Empty, await one.FindSentMessageAsync("dr_7:msg:released:1", None));
        var recorded = await one.ClaimSentMessageAsync("dr_7:msg:released:1", later, later + Hold, None);
        Assert.Equal((false, true), (recorded.Claimed, recorded.Sent));
    }
}
