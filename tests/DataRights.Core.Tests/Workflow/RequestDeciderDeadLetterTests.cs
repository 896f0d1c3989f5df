using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Workflow;

public sealed class RequestDeciderDeadLetterTests
{
    [Fact]
    public void Decide_WorkDeadLettered_AddsAlertAndTellsStaff()
    {
        var run = DeciderHarness.For().Discovering();
        run.Advance(TimeSpan.FromHours(1));

        var decision = run.Apply(new WorkDeadLettered("queue", "req-1:message:completion:1", WorkItem.Message, "smtp 550"));

        Assert.Equal(new WorkAlert("req-1:message:completion:1", WorkItem.Message, "smtp 550", run.Now), Assert.Single(decision.Request.Progress.Alerts));
        Assert.Equal(
            new SendMessage("req-1:message:staff-failure:dead-letter-req-1-message-completion-1", run.Now, MessageKind.StaffFailure),
            decision.SingleMessage());
        var note = decision.SingleAudit("work.dead_lettered");
        Assert.Equal(WorkItem.Message, note.Details!["kind"]);
        Assert.Equal("smtp 550", note.Details["error"]);
        Assert.Equal(RequestStatus.Discovering, decision.Request.Status);
        Assert.Empty(decision.Transitions());
    }

    [Fact]
    public void Decide_StaffFailureMessageDeadLettered_RecordsAlertWithoutAlertingAgain()
    {
        // Another alert would fail the same way, for ever.
        var run = DeciderHarness.For().Executing(("crm", 7));
        run.ExecutionFailed("crm");

        var decision = run.Apply(new WorkDeadLettered("queue", "req-1:message:staff-failure:execution-1", WorkItem.Message, "smtp 550"));

        Assert.True(decision.Changed);
        Assert.Empty(decision.Messages());
        Assert.Equal("req-1:message:staff-failure:execution-1", Assert.Single(decision.Request.Progress.Alerts).WorkItemId);
        Assert.Contains("work.dead_lettered", decision.Actions());
    }

    [Fact]
    public void Decide_WorkDeadLetteredTwice_SecondIsIgnored()
    {
        var run = DeciderHarness.For().Discovering();
        var deadLetter = new WorkDeadLettered("queue", "req-1:discover:crm:1", WorkItem.Discover, "timeout", "crm", 1);
        run.Apply(deadLetter);
        var before = run.Request;

        var decision = run.Apply(deadLetter);

        decision.AssertIgnored(before);
        Assert.Single(decision.Request.Progress.Alerts);
    }

    [Fact]
    public void Decide_DiscoveryDeadLetteredWhileOthersPending_CountsSourceAsFailed()
    {
        var run = DeciderHarness.For().Discovering();

        var decision = run.Apply(new WorkDeadLettered("queue", "req-1:discover:crm:1", WorkItem.Discover, "timeout", "crm", 1));

        var crm = decision.Request.Progress.Source("crm")!;
        Assert.Equal(StepState.Failed, crm.Discovery);
        Assert.NotNull(crm.DiscoveryError);
        Assert.Equal(RequestStatus.Discovering, decision.Request.Status);
        Assert.Contains("source.discovery_failed", decision.Actions());
    }

    [Fact]
    public void Decide_DiscoveryDeadLetteredForLastPendingSource_CompletesFanInToApproval()
    {
        var run = DeciderHarness.For().Discovering();
        run.Found("crm", 3);
        run.Found("billing", 0);

        var decision = run.Apply(new WorkDeadLettered("queue", "req-1:discover:logs:1", WorkItem.Discover, "timeout", "logs", 1));

        Assert.Equal(RequestStatus.AwaitingApproval, decision.Request.Status);
        Assert.Equal([("discovering", "awaiting_approval")], decision.StatusMoves());
        Assert.Equal([MessageKind.StaffFailure, MessageKind.ApprovalRequest], decision.Messages().Select(m => m.Kind));
        Assert.Equal(StepState.Failed, decision.Request.Progress.Source("logs")!.Discovery);
        Assert.Single(decision.Request.Progress.Alerts);
    }

    [Fact]
    public void Decide_DiscoveryDeadLetteredAfterSourceAnswered_KeepsAnswerButRecordsAlert()
    {
        var run = DeciderHarness.For().Discovering();
        run.Found("crm", 3);

        var decision = run.Apply(new WorkDeadLettered("queue", "req-1:discover:crm:1", WorkItem.Discover, "timeout", "crm", 1));

        Assert.True(decision.Changed);
        Assert.Equal(StepState.Succeeded, decision.Request.Progress.Source("crm")!.Discovery);
        Assert.Single(decision.Request.Progress.Alerts);
        Assert.Equal(MessageKind.StaffFailure, decision.SingleMessage().Kind);
    }

    [Fact]
    public void Decide_ExecutionDeadLetteredForLastPendingSource_FailsRequest()
    {
        var run = DeciderHarness.For().Executing(("crm", 7));

        var decision = run.Apply(new WorkDeadLettered("queue", "req-1:execute:crm:1", WorkItem.Execute, "timeout", "crm", 1));

        Assert.Equal(RequestStatus.Failed, decision.Request.Status);
        Assert.Equal(StepState.Failed, decision.Request.Progress.Source("crm")!.Execution);
        Assert.Equal(
            ["req-1:message:staff-failure:dead-letter-req-1-execute-crm-1", "req-1:message:staff-failure:execution-1"],
            decision.Messages().Select(m => m.Id));
    }

    [Fact]
    public void Decide_DiscoveryDeadLetteredForStaleRound_OnlyRecordsAlert()
    {
        var run = DeciderHarness.For().Discovering();

        var decision = run.Apply(new WorkDeadLettered("queue", "req-1:discover:crm:0", WorkItem.Discover, "timeout", "crm", 0));

        Assert.Equal(StepState.Pending, decision.Request.Progress.Source("crm")!.Discovery);
        Assert.Single(decision.Request.Progress.Alerts);
    }
}
