using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Workflow;

public sealed class KebabTests
{
    [Theory]
    [InlineData(MessageKind.Verification, "verification")]
    [InlineData(MessageKind.StaffDeadlineReminder, "staff-deadline-reminder")]
    [InlineData(MessageKind.ApprovalRequest, "approval-request")]
    public void Of_MessageKind_IsKebabCase(MessageKind kind, string expected)
    {
        Assert.Equal(expected, Kebab.Of(kind));
    }

    [Theory]
    [InlineData(TimerKind.VerificationExpiry, "verification-expiry")]
    [InlineData(TimerKind.Overdue, "overdue")]
    public void Of_TimerKind_IsKebabCase(TimerKind kind, string expected)
    {
        Assert.Equal(expected, Kebab.Of(kind));
    }

    [Fact]
    public void TryParse_EveryMessageKind_RoundTrips()
    {
        foreach (var kind in Enum.GetValues<MessageKind>())
        {
            Assert.True(Kebab.TryParse<MessageKind>(Kebab.Of(kind), out var parsed));
            Assert.Equal(kind, parsed);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("StaffOverdue")]
    [InlineData("staff_overdue")]
    [InlineData("STAFF-OVERDUE")]
    public void TryParse_NotAKebabName_ReturnsFalse(string? text)
    {
        Assert.False(Kebab.TryParse<MessageKind>(text, out _));
    }
}
