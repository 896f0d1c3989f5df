using DataRights.Core.Audit;

namespace DataRights.Core.Tests.Audit;

public sealed class AuditHeadTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 30, 23, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Verify_TrailMatchingItsHead_IsValid()
    {
        var first = AuditChain.Next(null, "r", Start, "a", "x", null, "received");
        var second = AuditChain.Next(first, "r", Start.AddMinutes(1), "a", "y", "received", "verified");

        Assert.True(AuditChain.Verify([first, second], AuditHead.Of(second)).IsValid);
    }

    [Fact]
    public void Verify_LastEntriesCutOff_IsDetectedWithTheHead()
    {
        var first = AuditChain.Next(null, "r", Start, "a", "x", null, "received");
        var second = AuditChain.Next(first, "r", Start.AddMinutes(1), "a", "y", "received", "verified");

        var result = AuditChain.Verify([first], AuditHead.Of(second));

        Assert.True(AuditChain.Verify([first]).IsValid);
        Assert.False(result.IsValid);
        Assert.Equal(2, result.FirstBrokenSequence);
    }

    [Fact]
    public void Verify_EveryEntryRemoved_IsDetectedWithTheHead()
    {
        var first = AuditChain.Next(null, "r", Start, "a", "x", null, "received");

        Assert.False(AuditChain.Verify([], AuditHead.Of(first)).IsValid);
    }

    [Fact]
    public void Next_NullStatusAndDashStatus_HashDifferently()
    {
        var withNull = AuditChain.Next(null, "r", Start, "a", "x", null, "received");
        var withDash = AuditChain.Next(null, "r", Start, "a", "x", "-", "received");

        Assert.NotEqual(withNull.Hash, withDash.Hash);
    }

    [Fact]
    public void Next_PreviousEntryOfAnotherRequest_IsRefused()
    {
        var other = AuditChain.Next(null, "other", Start, "a", "x", null, "received");

        Assert.Throws<ArgumentException>(() => AuditChain.Next(other, "r", Start, "a", "y", "received", "verified"));
    }
}
