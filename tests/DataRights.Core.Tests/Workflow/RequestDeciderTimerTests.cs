using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using static DataRights.Core.Tests.Workflow.TestRequests;

namespace DataRights.Core.Tests.Workflow;

public sealed class RequestDeciderTimerTests
{
    [Fact]
    public void Decide_VerificationReminderWhileAwaitingVerification_SendsReminderOnce()
    {
        var run = DeciderHarness.For();
        run.Submit();
        run.Advance(TimeSpan.FromDays(3));

        var first = run.Timer(TimerKind.VerificationReminder, "1");
        var before = run.Request;
        var second = run.Timer(TimerKind.VerificationReminder, "1");

        Assert.Equal(new SendMessage("req-1:message:verification-reminder:1", run.Now, MessageKind.VerificationReminder), first.SingleMessage());
        Assert.Equal(["verification.reminded"], first.Actions());
        Assert.Empty(first.Transitions());
        Assert.Contains("timer:verification-reminder:1", first.Request.Progress.Sent);
        second.AssertIgnored(before);
    }

    [Fact]
    public void Decide_VerificationReminderAfterVerification_IsIgnored()
    {
        var run = DeciderHarness.For().Discovering();
        run.Advance(TimeSpan.FromDays(3));
        var before = run.Request;

        var decision = run.Timer(TimerKind.VerificationReminder, "1");

        decision.AssertIgnored(before);
    }

    [Fact]
    public void Decide_VerificationExpiryWhileAwaitingVerification_ExpiresWithMessage()
    {
        var run = DeciderHarness.For();
        run.Submit();
        run.Advance(TimeSpan.FromDays(14));

        var decision = run.Timer(TimerKind.VerificationExpiry, "1");

        Assert.Equal(RequestStatus.Expired, decision.Request.Status);
        Assert.Equal([("awaiting_verification", "expired")], decision.StatusMoves());
        Assert.Equal("request.expired", Assert.Single(decision.Transitions()).Action);
        Assert.Equal(new SendMessage("req-1:message:verification-expired:1", run.Now, MessageKind.VerificationExpired), decision.SingleMessage());
        Assert.Null(decision.Request.Progress.VerifiedAt);
    }

    [Fact]
    public void Decide_VerificationExpiryAfterVerification_IsIgnored()
    {
        var run = DeciderHarness.For().Discovering();
        run.Advance(TimeSpan.FromDays(14));
        var before = run.Request;

        var decision = run.Timer(TimerKind.VerificationExpiry, "1");

        decision.AssertIgnored(before);
        Assert.Equal(RequestStatus.Discovering, decision.Request.Status);
    }

    [Fact]
    public void Decide_TimerOnExpiredRequest_IsIgnored()
    {
        var run = DeciderHarness.For();
        run.Submit();
        run.Advance(TimeSpan.FromDays(14));
        run.Timer(TimerKind.VerificationExpiry, "1");
        run.Now = Instant("2026-10-02T08:00:00Z");
        var before = run.Request;

        var decision = run.Timer(TimerKind.Overdue, "@2026-10-01");

        decision.AssertIgnored(before);
        Assert.False(decision.Request.Progress.Overdue);
    }

    [Fact]
    public void Decide_ApprovalReminderForCurrentRound_SendsReminderOnce()
    {
        var run = DeciderHarness.For().AwaitingApproval(("crm", 4));
        run.Advance(TimeSpan.FromHours(48));

        var first = run.Timer(TimerKind.ApprovalReminder, "1");
        var before = run.Request;
        var second = run.Timer(TimerKind.ApprovalReminder, "1");

        Assert.Equal(new SendMessage("req-1:message:approval-reminder:1", run.Now, MessageKind.ApprovalReminder), first.SingleMessage());
        Assert.Equal("1", first.SingleAudit("approval.reminded").Details!["round"]);
        second.AssertIgnored(before);
    }

    [Fact]
    public void Decide_ApprovalEscalationForCurrentRound_SendsEscalation()
    {
        var run = DeciderHarness.For().AwaitingApproval(("crm", 4));
        run.Advance(TimeSpan.FromHours(96));

        var decision = run.Timer(TimerKind.ApprovalEscalation, "1");

        Assert.Equal(new SendMessage("req-1:message:approval-escalation:1", run.Now, MessageKind.ApprovalEscalation), decision.SingleMessage());
        Assert.Equal(["approval.escalated"], decision.Actions());
    }

    [Theory]
    [InlineData(TimerKind.ApprovalReminder)]
    [InlineData(TimerKind.ApprovalEscalation)]
    public void Decide_ApprovalTimerOfEarlierRound_IsIgnored(TimerKind kind)
    {
        var run = DeciderHarness.For().AwaitingApproval(("crm", 4));
        run.Apply(new InformationRequested("staff:grace", "Which account?"));
        run.Apply(new InformationProvided("requester", "ACC-1"));
        Assert.Equal(2, run.Request.Progress.ApprovalRound);
        run.Advance(TimeSpan.FromHours(96));
        var before = run.Request;

        var stale = run.Timer(kind, "1");
        var current = run.Timer(kind, "2");

        stale.AssertIgnored(before);
        Assert.Equal("2", Assert.Single(current.Messages()).Id.Split(':')[^1]);
    }

    [Theory]
    [InlineData(TimerKind.ApprovalReminder)]
    [InlineData(TimerKind.ApprovalEscalation)]
    public void Decide_ApprovalTimerAfterApproval_IsIgnored(TimerKind kind)
    {
        var run = DeciderHarness.For().Executing(("crm", 4));
        run.Advance(TimeSpan.FromHours(96));
        var before = run.Request;

        var decision = run.Timer(kind, "1");

        decision.AssertIgnored(before);
    }

    [Fact]
    public void Decide_DeadlineReminderForCurrentDueDate_RemindsStaffOnce()
    {
        var run = DeciderHarness.For().Discovering();
        run.Now = Instant("2026-09-24T08:00:00Z");

        var first = run.Timer(TimerKind.DeadlineReminder, "7d@2026-10-01");
        var before = run.Request;
        var second = run.Timer(TimerKind.DeadlineReminder, "7d@2026-10-01");

        Assert.Equal(
            new SendMessage("req-1:message:staff-deadline-reminder:7d@2026-10-01", run.Now, MessageKind.StaffDeadlineReminder),
            first.SingleMessage());
        Assert.Equal("7d@2026-10-01", first.SingleAudit("deadline.reminded").Details!["reminder"]);
        second.AssertIgnored(before);
    }

    [Fact]
    public void Decide_DeadlineReminderTaggedWithOldDueDateAfterExtension_IsIgnored()
    {
        var run = DeciderHarness.For().Discovering();
        run.Apply(new DeadlineExtended("staff:grace", "complex"));
        Assert.Equal(Date("2026-12-01"), run.Request.Deadline.DueOn);
        run.Now = Instant("2026-09-24T08:00:00Z");
        var before = run.Request;

        var stale = run.Timer(TimerKind.DeadlineReminder, "7d@2026-10-01");
        var staleOverdue = run.Timer(TimerKind.Overdue, "@2026-10-01");

        stale.AssertIgnored(before);
        staleOverdue.AssertIgnored(before);
        run.Now = Instant("2026-11-24T08:00:00Z");
        Assert.Equal(MessageKind.StaffDeadlineReminder, run.Timer(TimerKind.DeadlineReminder, "7d@2026-12-01").SingleMessage().Kind);
    }

    [Theory]
    [InlineData(TimerKind.DeadlineReminder, "7d@2026-10-01")]
    [InlineData(TimerKind.Overdue, "@2026-10-01")]
    public void Decide_DeadlineTimerWhileClockPaused_IsIgnored(TimerKind kind, string tag)
    {
        var run = DeciderHarness.For();
        run.Submit();
        Assert.True(StatutoryClock.IsPaused(run.Request.Progress));
        run.Now = Instant("2026-10-02T08:00:00Z");
        var before = run.Request;

        var decision = run.Timer(kind, tag);

        decision.AssertIgnored(before);
    }

    [Fact]
    public void Decide_DeadlineReminderWhileAwaitingVerificationUnderCcpa_RemindsBecauseClockRuns()
    {
        var run = DeciderHarness.For(Jurisdiction.UsCa, Instant("2026-09-01T17:00:00Z"));
        run.Submit();
        run.Now = Instant("2026-10-09T08:00:00Z");

        var decision = run.Timer(TimerKind.DeadlineReminder, "7d@2026-10-16");

        Assert.Equal(MessageKind.StaffDeadlineReminder, decision.SingleMessage().Kind);
    }

    [Fact]
    public void Decide_OverdueForCurrentDueDate_FlagsRequestAndTellsStaff()
    {
        var run = DeciderHarness.For().AwaitingApproval(("crm", 4));
        run.Now = Instant("2026-10-02T08:00:00Z");

        var decision = run.Timer(TimerKind.Overdue, "@2026-10-01");

        Assert.True(decision.Request.Progress.Overdue);
        Assert.Equal(RequestStatus.AwaitingApproval, decision.Request.Status);
        Assert.Equal(new SendMessage("req-1:message:staff-overdue:@2026-10-01", run.Now, MessageKind.StaffOverdue), decision.SingleMessage());
        Assert.Equal("2026-10-01", decision.SingleAudit("request.overdue").Details!["dueOn"]);
    }

    [Fact]
    public void Decide_OverdueDeliveredTwice_SecondIsIgnored()
    {
        var run = DeciderHarness.For().AwaitingApproval(("crm", 4));
        run.Now = Instant("2026-10-02T08:00:00Z");
        run.Timer(TimerKind.Overdue, "@2026-10-01");
        var before = run.Request;

        var decision = run.Timer(TimerKind.Overdue, "@2026-10-01");

        decision.AssertIgnored(before);
        Assert.True(decision.Request.Progress.Overdue);
    }

    [Fact]
    public void Decide_OverdueOnCompletedRequest_IsIgnored()
    {
        var run = DeciderHarness.For().AwaitingApproval();
        run.Approve();
        Assert.Equal(RequestStatus.Completed, run.Request.Status);
        run.Now = Instant("2026-10-02T08:00:00Z");
        var before = run.Request;

        var decision = run.Timer(TimerKind.Overdue, "@2026-10-01");

        decision.AssertIgnored(before);
    }

    [Theory]
    [InlineData("7d")]
    [InlineData("")]
    [InlineData("7d@2026-10-01@x")]
    [InlineData("7d@01/10/2026")]
    public void Decide_DeadlineReminderWithMalformedTag_IsIgnored(string tag)
    {
        var run = DeciderHarness.For().Discovering();
        var before = run.Request;

        var decision = run.Timer(TimerKind.DeadlineReminder, tag);

        decision.AssertIgnored(before);
    }
}
