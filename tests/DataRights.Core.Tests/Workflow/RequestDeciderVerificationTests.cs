using DataRights.Core.Requests;
using DataRights.Core.Sources;
using DataRights.Core.Workflow;
using static DataRights.Core.Tests.Workflow.TestRequests;

namespace DataRights.Core.Tests.Workflow;

public sealed class RequestDeciderVerificationTests
{
    [Fact]
    public void Decide_IdentityVerified_MovesThroughVerifiedToDiscoveringWithTwoAuditedTransitions()
    {
        var run = DeciderHarness.For();
        run.Submit();
        run.Advance(TimeSpan.FromHours(2));

        var decision = run.Verify();

        Assert.Equal(RequestStatus.Discovering, decision.Request.Status);
        Assert.Equal(
            [("awaiting_verification", "verified"), ("verified", "discovering")],
            decision.StatusMoves());
        Assert.Equal(["identity.verified", "discovery.started"], decision.Transitions().Select(a => a.Action));
        Assert.All(decision.Audit, a => Assert.Equal(run.Now, a.At));
        Assert.Equal("email_link", decision.SingleAudit("identity.verified").Details!["method"]);
    }

    [Fact]
    public void Decide_IdentityVerified_RecordsWhenAndHowAndTheUsedNonce()
    {
        var run = DeciderHarness.For();
        run.Submit();
        run.Advance(TimeSpan.FromHours(2));

        var decision = run.Verify("nonce-42");

        Assert.Equal(run.Now, decision.Request.Progress.VerifiedAt);
        Assert.Equal("email_link", decision.Request.Progress.VerifiedBy);
        Assert.Equal(["nonce-42"], decision.Request.Progress.UsedLinkNonces);
    }

    [Fact]
    public void Decide_IdentityVerified_AsksEveryActiveSourceOnceInRoundOne()
    {
        var run = DeciderHarness.For();
        run.Submit();

        var decision = run.Verify();

        Assert.Equal(
            [
                new PendingSourceStep(SourceStep.Discover, "crm", 1),
                new PendingSourceStep(SourceStep.Discover, "billing", 1),
                new PendingSourceStep(SourceStep.Discover, "logs", 1),
            ],
            decision.Discoveries());
        Assert.Equal(1, decision.Request.Progress.DiscoveryRound);
        Assert.Equal(["crm", "billing", "logs"], decision.Request.Progress.Sources.Select(s => s.Key));
        Assert.All(decision.Request.Progress.Sources, s => Assert.Equal(StepState.Pending, s.Discovery));
        Assert.Equal(SourceAccess.Read, decision.Request.Progress.Source("logs")!.Access);
        Assert.Empty(decision.Messages());
    }

    [Fact]
    public void Decide_IdentityVerifiedWithNoSources_GoesStraightToAwaitingApproval()
    {
        var run = DeciderHarness.For(sources: []);
        run.Submit();

        var decision = run.Verify();

        Assert.Equal(RequestStatus.AwaitingApproval, decision.Request.Status);
        Assert.Equal(
            [("awaiting_verification", "verified"), ("verified", "discovering"), ("discovering", "awaiting_approval")],
            decision.StatusMoves());
        Assert.Empty(decision.Discoveries());
        Assert.Equal(MessageKind.ApprovalRequest, decision.SingleMessage().Kind);
        Assert.Equal(1, decision.Request.Progress.ApprovalRound);
        Assert.Single(decision.Waiting(TimerKind.ApprovalReminder));
        Assert.Single(decision.Waiting(TimerKind.ApprovalEscalation));
    }

    [Fact]
    public void Decide_IdentityVerifiedUkOnDayOfReceipt_ResumesClockWithDueDateUnchanged()
    {
        var run = DeciderHarness.For();
        run.Submit();
        run.Now = Instant("2026-09-01T22:00:00Z"); // 23:00 in London, still the day of receipt.

        var decision = run.Verify();

        Assert.False(StatutoryClock.IsPaused(decision.Request.Progress));
        Assert.Equal(new ClockPause(Date("2026-09-01"), Date("2026-09-01"), "identity verification"), Assert.Single(decision.Request.Progress.Pauses));
        Assert.Equal(Date("2026-10-01"), decision.Request.Deadline.DueOn);
        Assert.Equal("0", decision.SingleAudit("clock.resumed").Details!["pausedDays"]);
        Assert.DoesNotContain("clock.due_date_changed", decision.Actions());

        // The reminders for the (now running) due date are set on resuming, since none were set while paused.
        Assert.Equal(3, decision.Waiting(TimerKind.DeadlineReminder).Count);
        Assert.Single(decision.Waiting(TimerKind.Overdue));
    }

    [Theory]
    [InlineData("2026-07-27T09:00:00Z", "2026-07-31T09:00:00Z", "2026-08-27", "2026-09-01")] // 31 Aug 2026 is the summer bank holiday.
    [InlineData("2026-08-30T09:00:00Z", "2026-09-03T09:00:00Z", "2026-09-30", "2026-10-05")] // 3 Oct is a Saturday.
    [InlineData("2026-01-27T10:00:00Z", "2026-01-31T10:00:00Z", "2026-02-27", "2026-03-02")] // 31 Jan + 1 month is Saturday 28 Feb.
    [InlineData("2028-01-27T10:00:00Z", "2028-01-31T10:00:00Z", "2028-02-28", "2028-02-29")] // Leap year: Tuesday 29 Feb.
    public void Decide_IdentityVerifiedUkFourDaysAfterReceipt_DueDateCountsFromVerificationDay(
        string receivedAt, string verifiedAt, string dueBefore, string dueAfter)
    {
        var run = DeciderHarness.For(receivedAt: Instant(receivedAt));
        Assert.Equal(Date(dueBefore), run.Request.Deadline.DueOn);
        run.Submit();

        var decision = run.ApplyAt(Instant(verifiedAt), new IdentityVerified("requester", "email_link", "n"));

        Assert.Equal(Date(dueAfter), decision.Request.Deadline.DueOn);
        Assert.Equal("4", decision.SingleAudit("clock.resumed").Details!["pausedDays"]);
        var changed = decision.SingleAudit("clock.due_date_changed");
        Assert.Equal(dueBefore, changed.Details!["from"]);
        Assert.Equal(dueAfter, changed.Details!["to"]);
    }

    [Fact]
    public void Decide_IdentityVerifiedUkFourDaysLater_SchedulesDeadlineTimersForNewDueDate()
    {
        var run = DeciderHarness.For(receivedAt: Instant("2026-07-27T09:00:00Z"));
        run.Submit();

        var decision = run.ApplyAt(Instant("2026-07-31T09:00:00Z"), new IdentityVerified("requester", "email_link", "n"));

        Assert.Equal(["7d@2026-09-01", "3d@2026-09-01", "1d@2026-09-01"], decision.Waiting(TimerKind.DeadlineReminder).Select(t => t.Tag));
        Assert.Equal(Instant("2026-08-25T08:00:00Z"), decision.Waiting(TimerKind.DeadlineReminder)[0].At);
        Assert.Equal(
            new PlannedTimer(TimerKind.Overdue, "@2026-09-01", Instant("2026-09-02T08:00:00Z")),
            Assert.Single(decision.Waiting(TimerKind.Overdue)));
    }

    [Fact]
    public void Decide_IdentityVerifiedCcpaDaysLater_LeavesDueDateUnchanged()
    {
        var run = DeciderHarness.For(Jurisdiction.UsCa, Instant("2026-09-01T17:00:00Z"), settings: EmailOnly);
        run.Submit();

        var decision = run.ApplyAt(Instant("2026-09-05T17:00:00Z"), new IdentityVerified("requester", "email_link", "n"));

        Assert.Equal(RequestStatus.Discovering, decision.Request.Status);
        Assert.Equal(Date("2026-10-16"), decision.Request.Deadline.DueOn);
        Assert.Empty(decision.Request.Progress.Pauses);
        Assert.DoesNotContain("clock.resumed", decision.Actions());
    }

    [Fact]
    public void Decide_IdentityVerifiedWithNonceAlreadyUsed_IsRefused()
    {
        var run = DeciderHarness.For();
        run.Submit();
        run.Verify("nonce-1");
        var before = run.Request;

        var decision = run.Verify("nonce-1");

        decision.AssertRefused(before);
    }

    [Fact]
    public void Decide_IdentityVerifiedTwiceWithFreshNonce_SecondIsIgnored()
    {
        var run = DeciderHarness.For();
        run.Submit();
        run.Verify("nonce-1");
        var before = run.Request;
        run.Advance(TimeSpan.FromMinutes(3));

        var decision = run.Verify("nonce-2");

        decision.AssertIgnored(before);
    }

    [Fact]
    public void Decide_IdentityVerifiedOnExpiredRequest_IsRefused()
    {
        var run = DeciderHarness.For();
        run.Submit();
        run.ApplyAt(ReceivedAt.AddDays(14), new TimerElapsed("timer", TimerKind.VerificationExpiry, "1"));
        Assert.Equal(RequestStatus.Expired, run.Request.Status);
        var before = run.Request;

        var decision = run.Verify();

        decision.AssertRefused(before);
    }

    [Fact]
    public void Decide_IdentityVerifiedBeforeSubmission_IsRefused()
    {
        var run = DeciderHarness.For();
        var before = run.Request;

        var decision = run.Verify();

        decision.AssertRefused(before);
    }

    [Fact]
    public void Decide_VerificationResendAfterFiveMinutes_SendsMessageWithNewId()
    {
        var run = DeciderHarness.For();
        run.Submit();
        run.Advance(TimeSpan.FromMinutes(5));

        var decision = run.Apply(new VerificationResendRequested("requester"));

        Assert.Equal(new SendMessage("req-1:message:verification:2", run.Now, MessageKind.Verification), decision.SingleMessage());
        Assert.Equal(2, decision.Request.Progress.VerificationEmailsSent);
        Assert.Equal(run.Now, decision.Request.Progress.VerificationSentAt);
        Assert.Equal("2", decision.SingleAudit("verification.resent").Details!["count"]);
        Assert.Equal(RequestStatus.AwaitingVerification, decision.Request.Status);
        Assert.Empty(decision.Transitions());
    }

    [Fact]
    public void Decide_VerificationResendWithinFiveMinutesOfLastEmail_IsRefused()
    {
        var run = DeciderHarness.For();
        run.Submit();
        run.Advance(TimeSpan.FromMinutes(10));
        run.Apply(new VerificationResendRequested("requester"));
        run.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        var before = run.Request;

        var decision = run.Apply(new VerificationResendRequested("requester"));

        decision.AssertRefused(before);
    }

    [Fact]
    public void Decide_VerificationResendAfterFiveEmailsInTotal_IsRefused()
    {
        var run = DeciderHarness.For(settings: new WorkflowSettings { LinkEmailsPerDay = 10 });
        run.Submit();
        for (var i = 2; i <= 5; i++)
        {
            run.Advance(TimeSpan.FromMinutes(10));
            var sent = run.Apply(new VerificationResendRequested("requester"));
            Assert.Equal($"req-1:message:verification:{i}", sent.SingleMessage().Id);
        }

        run.Advance(TimeSpan.FromHours(1));
        var before = run.Request;

        var decision = run.Apply(new VerificationResendRequested("requester"));

        decision.AssertRefused(before);
        Assert.Equal(5, decision.Request.Progress.VerificationEmailsSent);
    }

    [Fact]
    public void Decide_VerificationResendAfterVerification_IsRefused()
    {
        var run = DeciderHarness.For().Discovering();
        run.Advance(TimeSpan.FromHours(1));
        var before = run.Request;

        var decision = run.Apply(new VerificationResendRequested("requester"));

        decision.AssertRefused(before);
    }

    [Fact]
    public void Decide_LinkEmailsPastTheDailyLimit_AreRefusedUntilTheOldestIsADayOld()
    {
        var run = DeciderHarness.For();
        run.Submit();
        run.Advance(TimeSpan.FromMinutes(10));
        Assert.True(run.Apply(new VerificationResendRequested("requester")).Changed);
        run.Advance(TimeSpan.FromMinutes(10));
        Assert.True(run.Apply(new RepeatSubmitted("requester:api")).Changed);
        run.Advance(TimeSpan.FromMinutes(10));
        var before = run.Request;

        var resend = run.Apply(new VerificationResendRequested("requester"));
        var repeat = run.Apply(new RepeatSubmitted("requester:api"));

        resend.AssertRefused(before);
        repeat.AssertRefused(before);
        Assert.Contains("3 times in the last 24 hours", repeat.Refused, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromHours(24) - TimeSpan.FromMinutes(30), RequestDecider.LinkEmailWait(run.Request.Progress, run.Now, run.Settings));
        run.Advance(TimeSpan.FromHours(24) - TimeSpan.FromMinutes(30));
        Assert.Equal("req-1:message:verification:4", run.Apply(new RepeatSubmitted("requester:api")).SingleMessage().Id);
    }

    [Fact]
    public void Decide_ASubmissionForAnotherRight_WhileTheRequestWaits_SendsItsLinkAgain_NamingTheRightNotRegistered()
    {
        // The request (an erasure) waits for confirmation; a submission asking for access for the same address is not
        // registered: the verification email goes again, its key naming the right asked for, so the email can say so.
        var run = DeciderHarness.For();
        run.Submit();
        run.Advance(TimeSpan.FromMinutes(10));

        var other = run.Apply(new RepeatSubmitted("requester:api", RequestType.Access));
        run.Advance(TimeSpan.FromMinutes(10));
        var same = run.Apply(new RepeatSubmitted("requester:api", RequestType.Erasure));

        Assert.Equal("req-1:message:verification:2-access", other.SingleMessage().Id);
        Assert.Equal(RequestType.Access, RequestDecider.AlsoAskedIn("2-access"));
        var note = other.SingleAudit("verification.resent_on_repeat");
        Assert.Equal("access", note.Details!["asked"]);
        Assert.Equal("2", note.Details["count"]);
        Assert.Equal("req-1:message:verification:3", same.SingleMessage().Id);
        Assert.Null(RequestDecider.AlsoAskedIn("3"));
        Assert.False(same.SingleAudit("verification.resent_on_repeat").Details!.ContainsKey("asked"));
        Assert.Equal(RequestType.Erasure, run.Request.Type);
    }

    [Fact]
    public void Decide_RepeatOfAVerifiedRequest_EmailsTheStatusLinkToTheRequestAddress()
    {
        var run = DeciderHarness.For().Discovering();
        run.Advance(TimeSpan.FromHours(1));

        var first = run.Apply(new RepeatSubmitted("requester:api"));
        run.Advance(TimeSpan.FromMinutes(1));
        var soon = run.Apply(new RepeatSubmitted("requester:api"));

        Assert.Equal(new SendMessage("req-1:message:status-link:1", run.Now - TimeSpan.FromMinutes(1), MessageKind.StatusLink), first.SingleMessage());
        Assert.Equal("1", first.SingleAudit("status_link.resent_on_repeat").Details!["count"]);
        Assert.Empty(first.Transitions());
        Assert.NotNull(soon.Refused);
    }
}
