using DataRights.Core.Requests;
using DataRights.Core.Sources;
using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Workflow;

public sealed class RequestDeciderExecutionTests
{
    [Fact]
    public void Decide_SourceExecutedWhileOthersPending_RecordsOutcomeAndKeepsExecuting()
    {
        var run = DeciderHarness.For().Executing(("crm", 7), ("billing", 2));
        var outcome = new ExecutionOutcome(5, 1, 0, 0, [new RetainedRecords("invoices", 2, "tax law", new DateOnly(2033, 4, 5))]);

        var decision = run.Apply(new SourceExecuted("worker", "crm", 1, outcome));

        Assert.Equal(RequestStatus.Executing, decision.Request.Status);
        Assert.Empty(decision.Transitions());
        Assert.Empty(decision.Effects);
        Assert.Equal(StepState.Succeeded, decision.Request.Progress.Source("crm")!.Execution);
        Assert.Same(outcome, decision.Request.Progress.Source("crm")!.Outcome);
        var note = decision.SingleAudit("source.executed");
        Assert.Equal("erasure", note.Details!["action"]);
        Assert.Equal("5", note.Details["erased"]);
        Assert.Equal("1", note.Details["masked"]);
        Assert.Equal("2", note.Details["retained"]);
        Assert.Equal("invoices: tax law (UK GDPR Art. 17(3)(b))", note.Details["retainedBasis"]);
    }

    [Fact]
    public void Decide_EverySourceSucceeded_CompletesWithCompletionMessage()
    {
        var run = DeciderHarness.For().Executing(("crm", 7), ("billing", 2));
        run.Executed("crm");

        var decision = run.Executed("billing");

        Assert.Equal(RequestStatus.Completed, decision.Request.Status);
        Assert.Equal([("executing", "completed")], decision.StatusMoves());
        Assert.Equal("request.completed", Assert.Single(decision.Transitions()).Action);
        Assert.Equal(new SendMessage("req-1:message:completion:1", run.Now, MessageKind.Completion), decision.SingleMessage());
    }

    [Fact]
    public void Decide_AnySourceFailedOnceAllAnswered_FailsAndAlertsStaff()
    {
        var run = DeciderHarness.For().Executing(("crm", 7), ("billing", 2));
        var first = run.ExecutionFailed("billing");
        Assert.Equal(RequestStatus.Executing, first.Request.Status);

        var decision = run.Executed("crm");

        Assert.Equal(RequestStatus.Failed, decision.Request.Status);
        var move = Assert.Single(decision.Transitions());
        Assert.Equal(("executing", "failed"), (move.FromStatus, move.ToStatus));
        Assert.Equal("billing", move.Details!["failedSources"]);
        Assert.Equal(new SendMessage("req-1:message:staff-failure:execution-1", run.Now, MessageKind.StaffFailure), decision.SingleMessage());
        var billing = decision.Request.Progress.Source("billing")!;
        Assert.Equal(StepState.Failed, billing.Execution);
        Assert.Equal("connection refused", billing.ExecutionError);
    }

    [Fact]
    public void Decide_RetryRequestedOnFailed_ExecutesOnlyFailedSourcesInNextRound()
    {
        var run = DeciderHarness.For().Executing(("crm", 7), ("billing", 2));
        run.Executed("crm");
        run.ExecutionFailed("billing");
        run.Advance(TimeSpan.FromHours(2));

        var decision = run.Apply(new RetryRequested("staff:grace"));

        Assert.Equal(RequestStatus.Executing, decision.Request.Status);
        Assert.Equal([("failed", "executing")], decision.StatusMoves());
        Assert.Equal([new PendingSourceStep(SourceStep.Execute, "billing", 2)], decision.Executions());
        var billing = decision.Request.Progress.Source("billing")!;
        Assert.Equal((StepState.Pending, 2, (string?)null), (billing.Execution, billing.ExecutionRound, billing.ExecutionError));
        var crm = decision.Request.Progress.Source("crm")!;
        Assert.Equal((StepState.Succeeded, 1), (crm.Execution, crm.ExecutionRound));
    }

    [Fact]
    public void Decide_RetriedSourceSucceeds_Completes()
    {
        var run = DeciderHarness.For().Executing(("crm", 7), ("billing", 2));
        run.Executed("crm");
        run.ExecutionFailed("billing");
        run.Apply(new RetryRequested("staff:grace"));

        var decision = run.Executed("billing", round: 2);

        Assert.Equal(RequestStatus.Completed, decision.Request.Status);
        Assert.Equal(MessageKind.Completion, decision.SingleMessage().Kind);
    }

    [Fact]
    public void Decide_RetriedSourceFailsAgain_FailsWithNewStaffMessageId()
    {
        var run = DeciderHarness.For().Executing(("crm", 7));
        run.ExecutionFailed("crm");
        run.Apply(new RetryRequested("staff:grace"));

        var decision = run.ExecutionFailed("crm", round: 2);

        Assert.Equal(RequestStatus.Failed, decision.Request.Status);
        Assert.Equal("req-1:message:staff-failure:execution-2", decision.SingleMessage().Id);
    }

    [Fact]
    public void Decide_ResultOfEarlierRoundAfterRetry_IsIgnored()
    {
        var run = DeciderHarness.For().Executing(("crm", 7));
        run.ExecutionFailed("crm");
        run.Apply(new RetryRequested("staff:grace"));
        var before = run.Request;

        var decision = run.Executed("crm", round: 1);

        decision.AssertIgnored(before);
        Assert.Equal(StepState.Pending, decision.Request.Progress.Source("crm")!.Execution);
    }

    [Fact]
    public void Decide_SecondResultForSameSource_IsIgnored()
    {
        var run = DeciderHarness.For().Executing(("crm", 7), ("billing", 2));
        run.Executed("crm");
        var before = run.Request;

        var again = run.ExecutionFailed("crm", round: 1);

        again.AssertIgnored(before);
        Assert.Equal(StepState.Succeeded, again.Request.Progress.Source("crm")!.Execution);
    }

    [Fact]
    public void Decide_ResultForSourceNotAskedToExecute_IsIgnored()
    {
        var run = DeciderHarness.For().Executing(("crm", 7));
        var before = run.Request;

        var decision = run.Executed("billing", round: 1);

        decision.AssertIgnored(before);
    }

    [Fact]
    public void Decide_ResultAfterCompletion_IsIgnored()
    {
        var run = DeciderHarness.For().Executing(("crm", 7));
        run.Executed("crm");
        var before = run.Request;

        var decision = run.Executed("crm", round: 1);

        decision.AssertIgnored(before);
    }

    [Theory]
    [InlineData(RequestStatus.Executing)]
    [InlineData(RequestStatus.AwaitingApproval)]
    [InlineData(RequestStatus.Completed)]
    public void Decide_RetryRequestedWhenNotFailed_IsRefused(RequestStatus status)
    {
        var run = status == RequestStatus.Completed
            ? DeciderHarness.InFinal(RequestStatus.Completed)
            : status == RequestStatus.AwaitingApproval
                ? DeciderHarness.For().AwaitingApproval(("crm", 7))
                : DeciderHarness.For().Executing(("crm", 7));
        var before = run.Request;

        var decision = run.Apply(new RetryRequested("staff:grace"));

        decision.AssertRefused(before);
    }
}
