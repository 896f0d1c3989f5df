using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using static DataRights.Core.Tests.Workflow.TestRequests;

namespace DataRights.Core.Tests.Workflow;

public sealed class RequestDeciderSubmittedTests
{
    [Fact]
    public void Decide_RequestSubmittedOnReceived_MovesToAwaitingVerificationWithOneAuditedTransition()
    {
        var run = DeciderHarness.For();

        var decision = run.Submit();

        Assert.True(decision.Changed);
        Assert.Equal(RequestStatus.AwaitingVerification, decision.Request.Status);
        var move = Assert.Single(decision.Transitions());
        Assert.Equal(("received", "awaiting_verification"), (move.FromStatus, move.ToStatus));
        Assert.Equal("verification.requested", move.Action);
        Assert.Equal("intake", move.Actor);
        Assert.Equal(ReceivedAt, move.At);
    }

    [Fact]
    public void Decide_RequestSubmitted_SendsOneVerificationMessageWithStableId()
    {
        var run = DeciderHarness.For();

        var decision = run.Submit();

        Assert.Equal(new SendMessage("req-1:message:verification:1", ReceivedAt, MessageKind.Verification), decision.SingleMessage());
        Assert.Equal(1, decision.Request.Progress.VerificationEmailsSent);
        Assert.Equal(ReceivedAt, decision.Request.Progress.VerificationSentAt);
    }

    [Fact]
    public void Decide_RequestSubmitted_SetsVerificationReminderAfterThreeDaysAndExpiryAfterFourteen()
    {
        var run = DeciderHarness.For();

        var decision = run.Submit();

        Assert.Equal(
            new PlannedTimer(TimerKind.VerificationReminder, "1", ReceivedAt.AddDays(3)),
            Assert.Single(decision.Waiting(TimerKind.VerificationReminder)));
        Assert.Equal(
            new PlannedTimer(TimerKind.VerificationExpiry, "1", ReceivedAt.AddDays(14)),
            Assert.Single(decision.Waiting(TimerKind.VerificationExpiry)));
    }

    [Fact]
    public void Decide_RequestSubmittedUk_SetsNoDeadlineTimersWhileTheClockIsPaused()
    {
        var decision = DeciderHarness.For().Submit();

        Assert.Empty(decision.Waiting(TimerKind.DeadlineReminder));
        Assert.Empty(decision.Waiting(TimerKind.Overdue));
    }

    [Fact]
    public void Decide_UkVerifiedOnTheDayOfReceipt_SchedulesDeadlineRemindersAtEightUtcAndOverdueTimer()
    {
        var run = DeciderHarness.For();
        Assert.Equal(Date("2026-10-01"), run.Request.Deadline.DueOn);
        run.Submit();

        var decision = run.Verify();

        Assert.Equal(
            [
                new PlannedTimer(TimerKind.DeadlineReminder, "7d@2026-10-01", Instant("2026-09-24T08:00:00Z")),
                new PlannedTimer(TimerKind.DeadlineReminder, "3d@2026-10-01", Instant("2026-09-28T08:00:00Z")),
                new PlannedTimer(TimerKind.DeadlineReminder, "1d@2026-10-01", Instant("2026-09-30T08:00:00Z")),
            ],
            decision.Waiting(TimerKind.DeadlineReminder));
        Assert.Equal(
            new PlannedTimer(TimerKind.Overdue, "@2026-10-01", Instant("2026-10-02T08:00:00Z")),
            Assert.Single(decision.Waiting(TimerKind.Overdue)));
    }

    [Fact]
    public void Decide_RequestSubmittedCcpa_SchedulesDeadlineTimersForFortyFiveDayDueDate()
    {
        var run = DeciderHarness.For(Jurisdiction.UsCa, Instant("2026-09-01T17:00:00Z"));
        Assert.Equal(Date("2026-10-16"), run.Request.Deadline.DueOn);

        var decision = run.Submit();

        Assert.Equal(
            ["7d@2026-10-16", "3d@2026-10-16", "1d@2026-10-16"],
            decision.Waiting(TimerKind.DeadlineReminder).Select(t => t.Tag));
        Assert.Equal(Instant("2026-10-17T08:00:00Z"), Assert.Single(decision.Waiting(TimerKind.Overdue)).At);
    }

    [Fact]
    public void Decide_RequestSubmittedWithReminderAlreadyPast_SkipsThatReminderButKeepsOverdue()
    {
        // 30 days before 1 October at 08:00 UTC is an hour before the request arrived.
        var run = DeciderHarness.For(settings: new WorkflowSettings { DeadlineReminderDays = [30, 1] });
        run.Submit();

        var decision = run.Verify();

        Assert.Equal(["1d@2026-10-01"], decision.Waiting(TimerKind.DeadlineReminder).Select(t => t.Tag));
        Assert.Single(decision.Waiting(TimerKind.Overdue));
    }

    [Fact]
    public void Decide_RequestSubmittedUk_PausesClockForVerification()
    {
        var run = DeciderHarness.For();

        var decision = run.Submit();

        var pause = Assert.Single(decision.Request.Progress.Pauses);
        Assert.Equal(new ClockPause(Date("2026-09-01"), null, "identity verification"), pause);
        Assert.True(StatutoryClock.IsPaused(decision.Request.Progress));
        Assert.Equal("identity verification", decision.SingleAudit("clock.paused").Details!["reason"]);
    }

    [Theory]
    [InlineData(Jurisdiction.UsCa)]
    [InlineData(Jurisdiction.EU)]
    [InlineData(Jurisdiction.BR)]
    public void Decide_RequestSubmittedOutsideUk_DoesNotPauseClock(Jurisdiction jurisdiction)
    {
        var run = DeciderHarness.For(jurisdiction);

        var decision = run.Submit();

        Assert.Equal(RequestStatus.AwaitingVerification, decision.Request.Status);
        Assert.Empty(decision.Request.Progress.Pauses);
        Assert.DoesNotContain("clock.paused", decision.Actions());
    }

    [Fact]
    public void Decide_RequestSubmittedTwice_SecondIsIgnored()
    {
        var run = DeciderHarness.For();
        run.Submit();
        var before = run.Request;
        run.Advance(TimeSpan.FromMinutes(1));

        var decision = run.Submit();

        decision.AssertIgnored(before);
        Assert.Equal(1, decision.Request.Progress.VerificationEmailsSent);
    }

    [Fact]
    public void Decide_RequestSubmitted_StampsUpdatedAtWithContextNow()
    {
        var run = DeciderHarness.For();
        run.Now = ReceivedAt.AddSeconds(2);

        var decision = run.Submit();

        Assert.Equal(ReceivedAt.AddSeconds(2), decision.Request.UpdatedAt);
    }
}
