using DataRights.Core.Requests;
using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Workflow;

public sealed class RequestDeciderWorkflowRestartTests
{
    [Fact]
    public void Decide_WorkflowRestarted_OnAnOpenRequest_RecordsWhatWasFound_AndChangesNothingElse()
    {
        var run = DeciderHarness.For().AwaitingApproval(("crm", 2));
        var before = run.Request;

        var decision = run.Apply(new WorkflowRestarted("system:workflow-check", "failed"));

        Assert.True(decision.Changed);
        Assert.True(decision.StartsWorkflow);
        Assert.Equal("failed", decision.SingleAudit("workflow.restarted").Details!["found"]);
        Assert.Equal(["workflow.restarted"], decision.Actions());
        Assert.Equal(before.Status, decision.Request.Status);
        Assert.Equal(before.Progress, decision.Request.Progress);
        Assert.Equal(before.Deadline, decision.Request.Deadline);
        Assert.Empty(decision.Effects);
    }

    [Theory]
    [InlineData(RequestStatus.Completed)]
    [InlineData(RequestStatus.Rejected)]
    [InlineData(RequestStatus.Expired)]
    public void Decide_WorkflowRestarted_OnAClosedRequestWhoseRunEnded_IsIgnored(RequestStatus final)
    {
        var run = DeciderHarness.InFinal(final);
        run.Request = run.Request with { RunEnded = true };
        var before = run.Request;

        var decision = run.Apply(new WorkflowRestarted("system:workflow-check", "missing"));

        decision.AssertIgnored(before);
        Assert.False(decision.StartsWorkflow);
    }

    [Theory]
    [InlineData(RequestStatus.Completed)]
    [InlineData(RequestStatus.Rejected)]
    [InlineData(RequestStatus.Expired)]
    public void Decide_WorkflowRestarted_OnAClosedRequestWhoseRunGoesOn_RecordsItAndStartsTheWorkflow(RequestStatus final)
    {
        // Work left after the close (an export's deletion, the emails after completion) needs its workflow.
        var run = DeciderHarness.InFinal(final);
        var before = run.Request;

        var decision = run.Apply(new WorkflowRestarted("system:workflow-check", "failed"));

        Assert.True(decision.Changed);
        Assert.True(decision.StartsWorkflow);
        Assert.Equal(["workflow.restarted"], decision.Actions());
        Assert.Equal(final, decision.Request.Status);
        Assert.Equal(before.Progress, decision.Request.Progress);
        Assert.Empty(decision.Effects);
    }
}
