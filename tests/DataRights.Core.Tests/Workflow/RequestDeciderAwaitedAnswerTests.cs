using DataRights.Core.Requests;
using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Workflow;

/// <summary>Steps a source takes on and answers later (manual owners, systems answering by callback).</summary>
public sealed class RequestDeciderAwaitedAnswerTests
{
    [Fact]
    public void Decide_AnswerAwaitedFromAnOwner_AuditsAndSetsReminderAndTimeLimitWithoutMovingOn()
    {
        var run = DeciderHarness.For().Discovering();

        var decision = run.Apply(new SourceAnswerAwaited("owner:clerk@example.com", "crm", SourceStep.Discover, 1, RemindOwner: true));

        Assert.Equal(RequestStatus.Discovering, decision.Request.Status);
        Assert.Equal(StepState.Pending, decision.Request.Progress.Source("crm")!.Discovery);
        var note = decision.SingleAudit("source.answer_awaited");
        Assert.Equal("crm", note.Details!["source"]);
        Assert.Equal("discover", note.Details["step"]);
        Assert.Equal(run.Now + TimeSpan.FromDays(3), Assert.Single(decision.Waiting(TimerKind.AnswerReminder)).At);
        var limit = Assert.Single(decision.Waiting(TimerKind.AnswerOverdue));
        Assert.Equal(run.Now + TimeSpan.FromDays(7), limit.At);
        Assert.Equal("discover.crm.1", limit.Tag);
    }

    [Fact]
    public void Decide_AnswerAwaitedFromASystem_SetsOnlyTheTimeLimit()
    {
        var run = DeciderHarness.For().Executing(("crm", 2));

        var decision = run.Apply(new SourceAnswerAwaited("system:execution", "crm", SourceStep.Execute, 1, RemindOwner: false));

        Assert.Empty(decision.Waiting(TimerKind.AnswerReminder));
        Assert.Equal("execute.crm.1", Assert.Single(decision.Waiting(TimerKind.AnswerOverdue)).Tag);
    }

    [Fact]
    public void AnswersAwaitedFromTwoSources_WaitSideBySide_AndOneAnswered_IsNoLongerWaitedFor_NorKept()
    {
        var run = DeciderHarness.For().Discovering();
        run.Apply(new SourceAnswerAwaited("owner:clerk@example.com", "crm", SourceStep.Discover, 1, RemindOwner: true));
        var both = run.Apply(new SourceAnswerAwaited("system:discovery", "billing", SourceStep.Discover, 1, RemindOwner: false) { AnswerWithin = TimeSpan.FromHours(1) });

        Assert.Equal(
            ["answer-reminder:discover.crm.1", "answer-overdue:discover.crm.1", "answer-overdue:discover.billing.1.3600s"],
            both.Waiting().Where(t => t.Kind is TimerKind.AnswerReminder or TimerKind.AnswerOverdue).Select(t => t.Key["timer:".Length..]));

        // The CRM's owner answers: its timers no longer wait; the billing system's still does. When the next answer is
        // awaited, the answered step's timers are no longer kept at all.
        var answered = run.Found("crm", 2);
        Assert.Equal(["discover.billing.1.3600s"], answered.Waiting().Where(t => t.Kind is TimerKind.AnswerReminder or TimerKind.AnswerOverdue).Select(t => t.Tag));
        var logs = run.Apply(new SourceAnswerAwaited("owner:ops@example.com", "logs", SourceStep.Discover, 1, RemindOwner: false));
        Assert.DoesNotContain(logs.Request.Progress.PlannedTimers, t => t.Tag.Contains("crm", StringComparison.Ordinal));
        Assert.Equal(2, logs.Request.Progress.PlannedTimers.Count(t => t.Kind is TimerKind.AnswerOverdue));
    }

    [Fact]
    public void Decide_AnswerAwaitedTwice_SecondIsIgnored()
    {
        var run = DeciderHarness.For().Discovering();
        run.Apply(new SourceAnswerAwaited("owner:a@example.com", "crm", SourceStep.Discover, 1, true));
        var before = run.Request;

        run.Apply(new SourceAnswerAwaited("owner:a@example.com", "crm", SourceStep.Discover, 1, true)).AssertIgnored(before);
    }

    [Fact]
    public void Decide_AnswerAwaitedForAStepAlreadyAnswered_IsIgnored()
    {
        var run = DeciderHarness.For().Discovering();
        run.Found("crm", 1);
        var before = run.Request;

        run.Apply(new SourceAnswerAwaited("system:discovery", "crm", SourceStep.Discover, 1, false)).AssertIgnored(before);
    }

    [Fact]
    public void Decide_ReminderWhileStillWaiting_SendsTheTaskAgainOnce()
    {
        var run = DeciderHarness.For().Discovering();
        run.Apply(new SourceAnswerAwaited("owner:a@example.com", "crm", SourceStep.Discover, 1, true));
        run.Advance(TimeSpan.FromDays(3));

        var decision = run.Timer(TimerKind.AnswerReminder, "discover.crm.1");
        var before = run.Request;

        Assert.EndsWith(":message:manual-task:discover.crm.1.reminder", decision.SingleMessage().Id, StringComparison.Ordinal);
        Assert.Single(decision.Audit, a => a.Action == "source.task_reminded");
        run.Timer(TimerKind.AnswerReminder, "discover.crm.1").AssertIgnored(before);
    }

    [Fact]
    public void Decide_TimeLimitWhileStillWaiting_FailsTheStepAndTheFanInMovesOn()
    {
        var run = DeciderHarness.For().Discovering();
        run.Found("billing", 0);
        run.Found("logs", 0);
        run.Apply(new SourceAnswerAwaited("system:discovery", "crm", SourceStep.Discover, 1, false));
        run.Advance(TimeSpan.FromDays(7));

        var decision = run.Timer(TimerKind.AnswerOverdue, "discover.crm.1");

        Assert.Equal(RequestStatus.AwaitingApproval, decision.Request.Status);
        Assert.Equal(StepState.Failed, decision.Request.Progress.Source("crm")!.Discovery);
        Assert.Contains("did not answer within 7 days", decision.Request.Progress.Source("crm")!.DiscoveryError, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_SourceWithItsOwnTimeLimit_FailsTheStepAtThatLimitSayingWhatItWas()
    {
        var run = DeciderHarness.For().Discovering();
        run.Found("billing", 0);
        run.Found("logs", 0);

        var awaited = run.Apply(new SourceAnswerAwaited("system:discovery", "crm", SourceStep.Discover, 1, false) { AnswerWithin = TimeSpan.FromMinutes(90) });
        var limit = Assert.Single(awaited.Waiting(TimerKind.AnswerOverdue));
        Assert.Equal(run.Now + TimeSpan.FromMinutes(90), limit.At);
        Assert.Equal("discover.crm.1.5400s", limit.Tag);
        run.Advance(TimeSpan.FromMinutes(90));

        var decision = run.Timer(TimerKind.AnswerOverdue, limit.Tag);

        Assert.Equal(RequestStatus.AwaitingApproval, decision.Request.Status);
        Assert.StartsWith("The source did not answer within 90 minutes, its own time limit.", decision.Request.Progress.Source("crm")!.DiscoveryError, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_TimeLimitAfterTheAnswerArrived_IsIgnored()
    {
        var run = DeciderHarness.For().Executing(("crm", 2));
        run.Apply(new SourceAnswerAwaited("system:execution", "crm", SourceStep.Execute, 1, false));
        run.Executed("crm");
        var before = run.Request;

        run.Timer(TimerKind.AnswerOverdue, "execute.crm.1").AssertIgnored(before);
        Assert.Equal(RequestStatus.Completed, before.Status);
    }

    [Fact]
    public void Decide_TimeLimitDuringExecution_FailsTheRequestForStaffToRetry()
    {
        var run = DeciderHarness.For().Executing(("crm", 2));
        run.Apply(new SourceAnswerAwaited("system:execution", "crm", SourceStep.Execute, 1, false));
        run.Advance(TimeSpan.FromDays(7));

        var decision = run.Timer(TimerKind.AnswerOverdue, "execute.crm.1");

        Assert.Equal(RequestStatus.Failed, decision.Request.Status);
        Assert.Contains(decision.Messages(), m => m.Kind == MessageKind.StaffFailure);
    }

    [Theory]
    [InlineData("discover.crm.1", SourceStep.Discover, "crm", 1)]
    [InlineData("execute.call-recordings.12.reminder", SourceStep.Execute, "call-recordings", 12)]
    public void ParseStepTag_ReadsWhatStepTagWrites(string tag, SourceStep step, string source, int round)
    {
        Assert.Equal((step, source, round), RequestDecider.ParseStepTag(tag));
        Assert.StartsWith(RequestDecider.StepTag(step, source, round), tag, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("discover.crm")]
    [InlineData("search.crm.1")]
    [InlineData("discover.crm.-1")]
    public void ParseStepTag_NotATag_IsNull(string tag) => Assert.Null(RequestDecider.ParseStepTag(tag));
}
