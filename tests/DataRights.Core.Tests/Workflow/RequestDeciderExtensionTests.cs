using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using static DataRights.Core.Tests.Workflow.TestRequests;

namespace DataRights.Core.Tests.Workflow;

public sealed class RequestDeciderExtensionTests
{
    [Theory]
    [InlineData(Jurisdiction.UK, "2026-09-01T09:00:00Z", "2026-10-01", "2026-12-01")]
    [InlineData(Jurisdiction.UK, "2026-09-26T09:00:00Z", "2026-10-26", "2026-12-29")] // 26 Dec is a Saturday, then the two Christmas substitutes.
    [InlineData(Jurisdiction.EU, "2026-09-01T09:00:00Z", "2026-10-01", "2026-12-01")]
    [InlineData(Jurisdiction.EU, "2026-09-26T09:00:00Z", "2026-10-26", "2026-12-28")] // EU: weekends only.
    [InlineData(Jurisdiction.UsCa, "2026-09-01T17:00:00Z", "2026-10-16", "2026-11-30")] // 45 more calendar days.
    public void Decide_DeadlineExtended_MovesDueDateByTheRegimesExtension(Jurisdiction jurisdiction, string receivedAt, string due, string extended)
    {
        var run = DeciderHarness.For(jurisdiction, Instant(receivedAt)).Discovering();
        Assert.Equal(Date(due), run.Request.Deadline.DueOn);
        run.Advance(TimeSpan.FromDays(2));

        var decision = run.Apply(new DeadlineExtended("staff:grace", "complex request"));

        Assert.Equal(Date(extended), decision.Request.Deadline.DueOn);
        Assert.Equal(new ClockExtension(run.Now, "staff:grace", "complex request", Date(extended)), decision.Request.Progress.Extension);
        var note = decision.SingleAudit("clock.extended");
        Assert.Equal(due, note.Details!["from"]);
        Assert.Equal(extended, note.Details["to"]);
        Assert.Empty(decision.Transitions());
    }

    [Fact]
    public void Decide_DeadlineExtended_SendsExtensionNoticeAndSchedulesTimersForNewDate()
    {
        var run = DeciderHarness.For().Discovering();

        var decision = run.Apply(new DeadlineExtended("staff:grace", "complex request"));

        Assert.Equal(new SendMessage("req-1:message:extension-notice:1", run.Now, MessageKind.ExtensionNotice), decision.SingleMessage());
        Assert.Equal(
            [
                new PlannedTimer(TimerKind.DeadlineReminder, "7d@2026-12-01", Instant("2026-11-24T08:00:00Z")),
                new PlannedTimer(TimerKind.DeadlineReminder, "3d@2026-12-01", Instant("2026-11-28T08:00:00Z")),
                new PlannedTimer(TimerKind.DeadlineReminder, "1d@2026-12-01", Instant("2026-11-30T08:00:00Z")),
                new PlannedTimer(TimerKind.Overdue, "@2026-12-01", Instant("2026-12-02T08:00:00Z")),
            ],
            TimerWork.Waiting(decision.Request));
    }

    [Fact]
    public void Decide_DeadlineExtendedTwice_SecondIsRefused()
    {
        var run = DeciderHarness.For().Discovering();
        run.Apply(new DeadlineExtended("staff:grace", "complex request"));
        var before = run.Request;

        var decision = run.Apply(new DeadlineExtended("staff:grace", "still complex"));

        decision.AssertRefused(before);
        Assert.Equal(Date("2026-12-01"), decision.Request.Deadline.DueOn);
    }

    [Fact]
    public void Decide_DeadlineExtendedOnDueDate_IsAllowed()
    {
        var run = DeciderHarness.For().Discovering();
        run.Now = Instant("2026-10-01T22:30:00Z"); // 23:30 in London on the due date.

        var decision = run.Apply(new DeadlineExtended("staff:grace", "complex request"));

        Assert.True(decision.Changed);
        Assert.Equal(Date("2026-12-01"), decision.Request.Deadline.DueOn);
    }

    [Fact]
    public void Decide_DeadlineExtendedAfterDueDate_IsRefused()
    {
        var run = DeciderHarness.For().Discovering();
        run.Now = Instant("2026-10-01T23:30:00Z"); // 00:30 on 2 October in London.
        var before = run.Request;

        var decision = run.Apply(new DeadlineExtended("staff:grace", "complex request"));

        decision.AssertRefused(before);
    }

    [Theory]
    [InlineData(RequestStatus.Completed)]
    [InlineData(RequestStatus.Rejected)]
    [InlineData(RequestStatus.Expired)]
    public void Decide_DeadlineExtendedOnFinalRequest_IsRefused(RequestStatus final)
    {
        var run = DeciderHarness.InFinal(final);
        var before = run.Request;

        var decision = run.Apply(new DeadlineExtended("staff:grace", "complex request"));

        decision.AssertRefused(before);
    }

    [Theory]
    [InlineData(Jurisdiction.BR)]
    [InlineData(Jurisdiction.IN)]
    [InlineData(Jurisdiction.Other)]
    public void Decide_DeadlineExtendedUnderRegimeWithoutExtension_IsRefused(Jurisdiction jurisdiction)
    {
        var run = DeciderHarness.For(jurisdiction).Discovering();
        var before = run.Request;

        var decision = run.Apply(new DeadlineExtended("staff:grace", "complex request"));

        decision.AssertRefused(before);
    }

    [Fact]
    public void Decide_DeadlineExtendedAfterClarificationPause_ExtendsThePauseAdjustedDueDate()
    {
        var run = DeciderHarness.For(type: RequestType.Access).AwaitingApproval(("crm", 7));
        run.ApplyAt(Instant("2026-09-10T12:00:00Z"), new InformationRequested("staff:grace", "Which account?"));
        run.ApplyAt(Instant("2026-09-13T12:00:00Z"), new InformationProvided("requester", "ACC-1"));
        Assert.Equal(Date("2026-10-05"), run.Request.Deadline.DueOn);

        var decision = run.Apply(new DeadlineExtended("staff:grace", "complex request"));

        Assert.Equal(Date("2026-12-07"), decision.Request.Deadline.DueOn); // 5 Dec is a Saturday.
    }
}
