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
        var deadLetter = new WorkDeadLettered("queue", "req-1:message:approval-request:1", WorkItem.Message, "timeout");
        run.Apply(deadLetter);
        var before = run.Request;

        var decision = run.Apply(deadLetter);

        decision.AssertIgnored(before);
        Assert.Single(decision.Request.Progress.Alerts);
    }
}
