using DataRights.Core.Requests;
using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Workflow;

public sealed class TimerWorkTests
{
    [Theory]
    [InlineData("dr_1:timer:verification-reminder:1", TimerKind.VerificationReminder)]
    [InlineData("dr_1:timer:overdue:2026-12-30", TimerKind.Overdue)]
    [InlineData("dr_1:timer:restriction-lift", TimerKind.RestrictionLift)]
    public void KindOf_ReadsTheTimersKindFromItsWorkItemId(string id, TimerKind kind) =>
        Assert.Equal(kind, TimerWork.KindOf(id));

    [Theory]
    [InlineData("dr_1:message:completion:1")]
    [InlineData("dr_1:timer:no-such-timer:1")]
    [InlineData("dr_1:export:delete:1")]
    [InlineData("reminder")]
    public void KindOf_OtherWork_IsNoTimer(string id) => Assert.Null(TimerWork.KindOf(id));

    [Fact]
    public void EndsWithTheRequest_EveryTimerButARestrictionsLift()
    {
        Assert.True(TimerWork.EndsWithTheRequest("dr_1:timer:deadline-reminder:2026-12-23"));
        Assert.False(TimerWork.EndsWithTheRequest("dr_1:timer:restriction-lift:1"));
        Assert.False(TimerWork.EndsWithTheRequest("dr_1:export:delete:1"));
        Assert.Equal([TimerKind.RestrictionLift], Enum.GetValues<TimerKind>().Where(TimerWork.OutlivesTheClose));
    }

    [Theory]
    [InlineData(RequestStatus.Completed)]
    [InlineData(RequestStatus.Rejected)]
    [InlineData(RequestStatus.Expired)]
    public void ATimerThatEndsWithTheRequest_ChangesNothingOnAClosedRequest(RequestStatus final)
    {
        // What lets the orchestration drop such timers at the close without running them.
        foreach (var kind in Enum.GetValues<TimerKind>().Where(k => !TimerWork.OutlivesTheClose(k)))
        {
            var run = DeciderHarness.InFinal(final);
            var before = run.Request;

            run.Timer(kind, "1").AssertIgnored(before);
        }
    }
}
