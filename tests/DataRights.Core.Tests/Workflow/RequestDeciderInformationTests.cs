using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using static DataRights.Core.Tests.Workflow.TestRequests;

namespace DataRights.Core.Tests.Workflow;

public sealed class RequestDeciderInformationTests
{
    [Fact]
    public void Decide_InformationRequestedAtApproval_WaitsForInformationAndAsksRequester()
    {
        var run = DeciderHarness.For(type: RequestType.Access).AwaitingApproval(("crm", 7));

        var decision = run.Apply(new InformationRequested("staff:grace", "Which account number?", "info-nonce"));

        Assert.Equal(RequestStatus.AwaitingInformation, decision.Request.Status);
        Assert.Equal([("awaiting_approval", "awaiting_information")], decision.StatusMoves());
        Assert.Equal(new SendMessage("req-1:message:information-request:1", run.Now, MessageKind.InformationRequest), decision.SingleMessage());
        Assert.Equal("Which account number?", decision.Request.Progress.InformationQuestion);
        Assert.Contains("info-nonce", decision.Request.Progress.UsedLinkNonces);
    }

    [Fact]
    public void Decide_InformationRequested_WaitsForThePersonWithAReminderAndANoticeToStaff()
    {
        var run = DeciderHarness.For(type: RequestType.Access).AwaitingApproval(("crm", 7));

        var decision = run.Apply(new InformationRequested("staff:grace", "Which account number?"));

        Assert.Equal(
            [("req-1:timer:information-reminder:1", run.Now.AddDays(7)), ("req-1:timer:information-unanswered:1", run.Now.AddDays(21))],
            decision.Waiting().Where(t => t.Kind is TimerKind.InformationReminder or TimerKind.InformationUnanswered).Select(t => (t.IdFor("req-1"), t.At)));
    }

    [Fact]
    public void Decide_InformationReminder_WhileUnanswered_RemindsThePersonOnce()
    {
        var run = DeciderHarness.For(type: RequestType.Access).AwaitingApproval(("crm", 7));
        run.Apply(new InformationRequested("staff:grace", "Which account number?"));
        run.Advance(TimeSpan.FromDays(7));

        var first = run.Timer(TimerKind.InformationReminder, "1");
        var before = run.Request;
        var second = run.Timer(TimerKind.InformationReminder, "1");

        Assert.Equal(new SendMessage("req-1:message:information-reminder:1", run.Now, MessageKind.InformationReminder), first.SingleMessage());
        Assert.Equal("1", first.SingleAudit("information.reminded").Details!["round"]);
        Assert.Equal(RequestStatus.AwaitingInformation, first.Request.Status);
        second.AssertIgnored(before);
    }

    [Fact]
    public void Decide_InformationUnanswered_TellsThePrivacyTeam_AndChangesNothingElse()
    {
        var run = DeciderHarness.For(type: RequestType.Access).AwaitingApproval(("crm", 7));
        run.Apply(new InformationRequested("staff:grace", "Which account number?"));
        run.Advance(TimeSpan.FromDays(21));

        var decision = run.Timer(TimerKind.InformationUnanswered, "1");

        Assert.Equal(new SendMessage("req-1:message:staff-information-unanswered:1", run.Now, MessageKind.StaffInformationUnanswered), decision.SingleMessage());
        Assert.Equal(["information.unanswered"], decision.Actions());
        Assert.Equal(RequestStatus.AwaitingInformation, decision.Request.Status);
        Assert.True(StatutoryClock.IsPaused(decision.Request.Progress));
    }

    [Theory]
    [InlineData(TimerKind.InformationReminder)]
    [InlineData(TimerKind.InformationUnanswered)]
    public void Decide_InformationTimer_OnceThePersonAnswered_IsIgnored(TimerKind kind)
    {
        var run = DeciderHarness.For(type: RequestType.Access).AwaitingApproval(("crm", 7));
        run.Apply(new InformationRequested("staff:grace", "Which account number?"));
        run.Apply(new InformationProvided("requester", "ACC-77"));
        var before = run.Request;

        run.Timer(kind, "1").AssertIgnored(before);
    }

    [Fact]
    public void Decide_InformationTimerOfAnEarlierQuestion_IsIgnored_WhileTheNextWaits()
    {
        var run = DeciderHarness.For(type: RequestType.Access).AwaitingApproval(("crm", 7));
        run.Apply(new InformationRequested("staff:grace", "Which account number?"));
        run.Apply(new InformationProvided("requester", "ACC-77"));
        run.Apply(new InformationRequested("staff:grace", "Which address did you use?"));
        var before = run.Request;

        run.Timer(TimerKind.InformationReminder, "1").AssertIgnored(before);
        Assert.Equal(MessageKind.InformationReminder, run.Timer(TimerKind.InformationReminder, "2").SingleMessage().Kind);
    }

    [Fact]
    public void Decide_InformationRequestedUk_PausesClockForClarification()
    {
        var run = DeciderHarness.For(type: RequestType.Access).AwaitingApproval(("crm", 7));
        run.Now = Instant("2026-09-10T12:00:00Z");

        var decision = run.Apply(new InformationRequested("staff:grace", "Which account number?"));

        Assert.True(StatutoryClock.IsPaused(decision.Request.Progress));
        Assert.Equal(new ClockPause(Date("2026-09-10"), null, "clarification"), decision.Request.Progress.Pauses[^1]);
        Assert.Equal("clarification", decision.SingleAudit("clock.paused").Details!["reason"]);
    }

    [Theory]
    [InlineData(RequestType.Erasure)]
    [InlineData(RequestType.Rectification)]
    [InlineData(RequestType.Restriction)]
    [InlineData(RequestType.Objection)]
    [InlineData(RequestType.Portability)]
    public void Decide_InformationRequestedUk_OnAnyRequestButAccess_DoesNotPauseClock(RequestType type)
    {
        // UK GDPR Art. 12A(5) stops the clock for clarifying "a request under Article 15" only.
        var run = DeciderHarness.For(type: type).AwaitingApproval(("crm", 7));
        run.ApplyAt(Instant("2026-09-10T12:00:00Z"), new InformationRequested("staff:grace", "Which account number?"));

        var decision = run.ApplyAt(Instant("2026-09-13T12:00:00Z"), new InformationProvided("requester", "ACC-77"));

        Assert.Equal(Date("2026-10-01"), decision.Request.Deadline.DueOn);
        Assert.DoesNotContain(decision.Request.Progress.Pauses, p => p.Reason == "clarification");
    }

    [Theory]
    [InlineData(Jurisdiction.UsCa)]
    [InlineData(Jurisdiction.EU)]
    public void Decide_InformationRequestedOutsideUk_DoesNotPauseClock(Jurisdiction jurisdiction)
    {
        var run = DeciderHarness.For(jurisdiction, settings: TestRequests.EmailOnly).AwaitingApproval(("crm", 7));

        var decision = run.Apply(new InformationRequested("staff:grace", "Which account number?"));

        Assert.Equal(RequestStatus.AwaitingInformation, decision.Request.Status);
        Assert.False(StatutoryClock.IsPaused(decision.Request.Progress));
    }

    [Fact]
    public void Decide_InformationProvided_ReturnsToApprovalRoundTwoWithNewMessageAndTimers()
    {
        var run = DeciderHarness.For(type: RequestType.Access).AwaitingApproval(("crm", 7));
        run.Apply(new InformationRequested("staff:grace", "Which account number?"));
        run.Advance(TimeSpan.FromHours(5));

        var decision = run.Apply(new InformationProvided("requester", "ACC-77"));

        Assert.Equal(RequestStatus.AwaitingApproval, decision.Request.Status);
        Assert.Equal([("awaiting_information", "awaiting_approval")], decision.StatusMoves());
        Assert.Equal(2, decision.Request.Progress.ApprovalRound);
        Assert.Equal("ACC-77", decision.Request.Progress.InformationAnswer);
        Assert.Equal(new SendMessage("req-1:message:approval-request:2", run.Now, MessageKind.ApprovalRequest), decision.SingleMessage());
        Assert.Equal(
            ["req-1:timer:approval-reminder:2", "req-1:timer:approval-escalation:2"],
            decision.Waiting().Where(t => t.Kind is TimerKind.ApprovalReminder or TimerKind.ApprovalEscalation).Select(t => t.IdFor("req-1")));
        Assert.Contains("information.provided", decision.Actions());
    }

    [Fact]
    public void Decide_InformationProvidedUkThreeDaysLater_MovesDueDateByThreeDays()
    {
        var run = DeciderHarness.For(type: RequestType.Access).AwaitingApproval(("crm", 7));
        run.ApplyAt(Instant("2026-09-10T12:00:00Z"), new InformationRequested("staff:grace", "Which account number?"));

        var decision = run.ApplyAt(Instant("2026-09-13T12:00:00Z"), new InformationProvided("requester", "ACC-77"));

        // Paused for verification 0 days and for clarification 3: 1 Sept + 3 = 4 Sept, due Sunday 4 Oct, so Monday 5 Oct.
        Assert.Equal(Date("2026-10-05"), decision.Request.Deadline.DueOn);
        Assert.False(StatutoryClock.IsPaused(decision.Request.Progress));
        Assert.Equal(["7d@2026-10-05", "3d@2026-10-05", "1d@2026-10-05"], decision.Waiting(TimerKind.DeadlineReminder).Select(t => t.Tag));
    }

    [Theory]
    [InlineData("2026-09-24T17:00:00Z", "2026-10-01")] // Answered the same day: the pause moved no date.
    [InlineData("2026-09-25T17:00:00Z", "2026-10-02")] // Answered the next day: due a day later, its 7-day reminder (Friday 08:00) already past.
    public void Decide_AReminderWhoseTimeCameInAPause_IsSentOnResume_OnceAndOnlyTheLatest(string answeredAt, string due)
    {
        // Due Thursday 1 October. The question is asked at 07:00 on 24 September: the 7-day reminder (08:00) fires while
        // the clock stands still and is ignored, and when the clock starts again no timer can be set for a time already
        // past. It is sent on resume, once, for the due date then; the 3- and 1-day reminders, still ahead, wait as before.
        var run = DeciderHarness.For(type: RequestType.Access).AwaitingApproval(("crm", 7));
        Assert.Equal(Date("2026-10-01"), run.Request.Deadline.DueOn);
        run.ApplyAt(Instant("2026-09-24T07:00:00Z"), new InformationRequested("staff:grace", "Which account number?"));
        run.Now = Instant("2026-09-24T08:00:00Z");
        var paused = run.Request;
        run.Timer(TimerKind.DeadlineReminder, "7d@2026-10-01").AssertIgnored(paused);

        var resumed = run.ApplyAt(Instant(answeredAt), new InformationProvided("requester", "ACC-77"));

        Assert.Equal(Date(due), resumed.Request.Deadline.DueOn);
        Assert.Contains(new SendMessage($"req-1:message:staff-deadline-reminder:7d@{due}", run.Now, MessageKind.StaffDeadlineReminder), resumed.Effects);
        Assert.Equal("true", resumed.SingleAudit("deadline.reminded").Details!["caughtUp"]);
        Assert.Equal([$"3d@{due}", $"1d@{due}"], resumed.Waiting(TimerKind.DeadlineReminder).Select(t => t.Tag));

        // Asked and answered again the same day: nothing more is sent for it.
        run.ApplyAt(run.Now.AddHours(1), new InformationRequested("staff:grace", "And the other one?"));
        var again = run.ApplyAt(run.Now.AddHours(1), new InformationProvided("requester", "ACC-78"));
        Assert.Equal(Date(due), again.Request.Deadline.DueOn);
        Assert.DoesNotContain(again.Effects.OfType<SendMessage>(), m => m.Kind == MessageKind.StaffDeadlineReminder);
    }

    [Theory]
    [InlineData("2026-09-24T17:00:00Z", "2026-10-01")]
    [InlineData("2026-09-25T17:00:00Z", "2026-10-02")]
    public void Decide_AReminderSentBeforeThePause_IsNotSentAgainOnResume(string answeredAt, string due)
    {
        var run = DeciderHarness.For(type: RequestType.Access).AwaitingApproval(("crm", 7));
        run.Now = Instant("2026-09-24T08:00:00Z");
        Assert.Equal(MessageKind.StaffDeadlineReminder, run.Timer(TimerKind.DeadlineReminder, "7d@2026-10-01").SingleMessage().Kind);
        run.ApplyAt(Instant("2026-09-24T09:00:00Z"), new InformationRequested("staff:grace", "Which account number?"));

        var resumed = run.ApplyAt(Instant(answeredAt), new InformationProvided("requester", "ACC-77"));

        Assert.Equal(Date(due), resumed.Request.Deadline.DueOn);
        Assert.DoesNotContain(resumed.Effects.OfType<SendMessage>(), m => m.Kind == MessageKind.StaffDeadlineReminder);
        Assert.DoesNotContain(resumed.Audit, a => a.Action == "deadline.reminded");
    }

    [Fact]
    public void Decide_InformationAskedBeforeTheDeadline_AnsweredAfterIt_MovesTheDueDate()
    {
        var run = DeciderHarness.For(type: RequestType.Access).AwaitingApproval(("crm", 7));
        run.ApplyAt(Instant("2026-09-25T12:00:00Z"), new InformationRequested("staff:grace", "Which account number?"));

        var decision = run.ApplyAt(Instant("2026-10-12T09:00:00Z"), new InformationProvided("requester", "ACC-77"));

        // Seventeen days paused: counted from 18 Sept, due Sunday 18 Oct, so Monday 19 Oct.
        Assert.Equal(Date("2026-10-19"), decision.Request.Deadline.DueOn);
        Assert.False(decision.Request.Progress.Overdue);
    }

    [Fact]
    public void Decide_InformationAskedAfterTheDeadline_StopsNoClock_TheRequestStaysOverdue_AndCannotBeExtended()
    {
        // The period ended on 1 October: a question asked after it cannot take days out of it, clear the breach, or open
        // the way to an extension.
        var run = DeciderHarness.For(type: RequestType.Access).AwaitingApproval(("crm", 7));
        run.ApplyAt(Instant("2026-10-02T08:00:00Z"), new TimerElapsed("timer", TimerKind.Overdue, "@2026-10-01"));
        Assert.True(run.Request.Progress.Overdue);

        var asked = run.ApplyAt(Instant("2026-10-02T09:00:00Z"), new InformationRequested("staff:grace", "Which account number?"));
        var answered = run.ApplyAt(Instant("2026-10-12T09:00:00Z"), new InformationProvided("requester", "ACC-77"));
        var before = run.Request;
        var extended = run.ApplyAt(Instant("2026-10-12T10:00:00Z"), new DeadlineExtended("staff:grace", "Complex request"));

        Assert.False(StatutoryClock.IsPaused(asked.Request.Progress));
        Assert.DoesNotContain("clock.paused", asked.Actions());
        Assert.Equal((Date("2026-10-01"), true), (answered.Request.Deadline.DueOn, answered.Request.Progress.Overdue));
        extended.AssertRefused(before);
    }

    [Fact]
    public void Decide_SecondInformationRound_UsesRoundInMessageIds()
    {
        var run = DeciderHarness.For(type: RequestType.Access).AwaitingApproval(("crm", 7));
        run.Apply(new InformationRequested("staff:grace", "Q1"));
        run.Apply(new InformationProvided("requester", "A1"));

        var asked = run.Apply(new InformationRequested("staff:grace", "Q2"));
        var answered = run.Apply(new InformationProvided("requester", "A2"));

        Assert.Equal("req-1:message:information-request:2", asked.SingleMessage().Id);
        Assert.Equal("req-1:message:approval-request:3", answered.SingleMessage().Id);
    }

    [Fact]
    public void Decide_InformationProvidedWhenNotAsked_IsRefused()
    {
        var run = DeciderHarness.For(type: RequestType.Access).AwaitingApproval(("crm", 7));
        var before = run.Request;

        var decision = run.Apply(new InformationProvided("requester", "unasked"));

        decision.AssertRefused(before);
    }

    [Fact]
    public void Decide_InformationRequestedWhileDiscovering_IsRefused()
    {
        var run = DeciderHarness.For().Discovering();
        var before = run.Request;

        var decision = run.Apply(new InformationRequested("staff:grace", "Q"));

        decision.AssertRefused(before);
    }

    [Fact]
    public void Decide_InformationRequestedWithUsedLink_IsRefused()
    {
        var run = DeciderHarness.For(type: RequestType.Access).AwaitingApproval(("crm", 7));
        run.Apply(new InformationRequested("staff:grace", "Q1", "link-1"));
        run.Apply(new InformationProvided("requester", "A1"));
        var before = run.Request;

        var decision = run.Apply(new InformationRequested("staff:grace", "Q2", "link-1"));

        decision.AssertRefused(before);
    }
}
