using DataRights.Core.Requests;
using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Workflow;

public sealed class RequestDeciderApprovalTests
{
    [Fact]
    public void Decide_ApprovalGranted_ExecutesSourcesThatFoundRecordsOrFailedDiscovery()
    {
        var run = DeciderHarness.For(type: RequestType.Access).Discovering();
        run.Found("crm", 7);
        run.DiscoveryFailed("billing");
        run.Found("logs", 0);
        run.Advance(TimeSpan.FromHours(1));

        var decision = run.Approve();

        Assert.Equal(RequestStatus.Executing, decision.Request.Status);
        Assert.Equal([("awaiting_approval", "executing")], decision.StatusMoves());
        Assert.Equal(
            [
                new PendingSourceStep(SourceStep.Execute, "crm", 1),
                new PendingSourceStep(SourceStep.Execute, "billing", 1),
            ],
            decision.Executions());
        Assert.Equal(StepState.Pending, decision.Request.Progress.Source("crm")!.Execution);
        Assert.Equal(StepState.Pending, decision.Request.Progress.Source("billing")!.Execution);
        Assert.Equal(StepState.NotStarted, decision.Request.Progress.Source("logs")!.Execution);
        Assert.Empty(decision.Messages());
    }

    [Fact]
    public void Decide_ApprovalGranted_RecordsApprovalAndAuditsRound()
    {
        var run = DeciderHarness.For().AwaitingApproval(("crm", 7));

        var decision = run.Apply(new ApprovalGranted("staff:grace", "checked", "approve-nonce"));

        Assert.Equal(new ApprovalRecord("approved", "staff:grace", run.Now, "checked"), decision.Request.Progress.Approval);
        Assert.Contains("approve-nonce", decision.Request.Progress.UsedLinkNonces);
        var granted = decision.SingleAudit("approval.granted");
        Assert.Equal("staff:grace", granted.Actor);
        Assert.Equal("1", granted.Details!["round"]);
    }

    [Theory]
    [InlineData(RequestType.Erasure)]
    [InlineData(RequestType.Rectification)]
    [InlineData(RequestType.Restriction)]
    [InlineData(RequestType.Objection)]
    public void Decide_ApprovalGrantedForChangingRequest_DoesNotAskReadSourceAndMarksItNotRequired(RequestType type)
    {
        var run = DeciderHarness.For(type: type).AwaitingApproval(("crm", 7), ("logs", 5));

        var decision = run.Approve();

        Assert.Equal(["crm"], decision.Executions().Select(x => x.Source));
        Assert.Equal(StepState.NotRequired, decision.Request.Progress.Source("logs")!.Execution);
        Assert.Equal("logs", decision.SingleAudit("source.skipped_read_only").Details!["source"]);
        Assert.Equal(RequestStatus.Executing, decision.Request.Status);
    }

    [Theory]
    [InlineData(RequestType.Access)]
    [InlineData(RequestType.Portability)]
    public void Decide_ApprovalGrantedForAccess_AsksReadSourceToo(RequestType type)
    {
        var run = DeciderHarness.For(type: type).AwaitingApproval(("crm", 7), ("logs", 5));

        var decision = run.Approve();

        Assert.Equal(["crm", "logs"], decision.Executions().Select(x => x.Source));
        Assert.Equal(StepState.Pending, decision.Request.Progress.Source("logs")!.Execution);
        Assert.DoesNotContain("source.skipped_read_only", decision.Actions());
    }

    [Fact]
    public void Decide_ApprovalGrantedWithNothingFound_CompletesAtOnceWithCompletionMessage()
    {
        var run = DeciderHarness.For().AwaitingApproval();

        var decision = run.Approve();

        Assert.Equal(RequestStatus.Completed, decision.Request.Status);
        Assert.Equal([("awaiting_approval", "executing"), ("executing", "completed")], decision.StatusMoves());
        Assert.Empty(decision.Executions());
        Assert.Equal(new SendMessage("req-1:message:completion:1", run.Now, MessageKind.Completion), decision.SingleMessage());
    }

    [Fact]
    public void Decide_ApprovalGrantedForErasureWithDataOnlyInReadSource_CompletesAtOnce()
    {
        var run = DeciderHarness.For(type: RequestType.Erasure).AwaitingApproval(("logs", 5));

        var decision = run.Approve();

        Assert.Equal(RequestStatus.Completed, decision.Request.Status);
        Assert.Empty(decision.Executions());
        Assert.Equal(StepState.NotRequired, decision.Request.Progress.Source("logs")!.Execution);
        Assert.Equal(MessageKind.Completion, decision.SingleMessage().Kind);
    }

    [Fact]
    public void Decide_ApprovalGrantedWhenAccountMatchRequiredAndNoSourceMatched_IsRefused()
    {
        var run = DeciderHarness.For(accountReference: "ACC-123", settings: new WorkflowSettings { RequireAccountMatch = true })
            .AwaitingApproval(("crm", 7));
        var before = run.Request;

        var decision = run.Approve();

        decision.AssertRefused(before);
        Assert.Equal(RequestStatus.AwaitingApproval, decision.Request.Status);
    }

    [Fact]
    public void Decide_ApprovalGrantedWhenAccountMatchRequiredAndOneSourceMatched_Executes()
    {
        var run = DeciderHarness.For(accountReference: "ACC-123", settings: new WorkflowSettings { RequireAccountMatch = true }).Discovering();
        run.Found("crm", 7, accountMatched: true);
        run.Found("billing", 2);
        run.Found("logs", 0);

        var decision = run.Approve();

        Assert.Equal(RequestStatus.Executing, decision.Request.Status);
    }

    [Fact]
    public void Decide_ApprovalGrantedWhenAccountMatchRequiredButNoAccountReference_Executes()
    {
        var run = DeciderHarness.For(settings: new WorkflowSettings { RequireAccountMatch = true }).AwaitingApproval(("crm", 7));

        var decision = run.Approve();

        Assert.Equal(RequestStatus.Executing, decision.Request.Status);
    }

    [Fact]
    public void Decide_ApprovalGrantedWithAccountReferenceButMatchNotRequired_Executes()
    {
        var run = DeciderHarness.For(accountReference: "ACC-123").AwaitingApproval(("crm", 7));

        var decision = run.Approve();

        Assert.Equal(RequestStatus.Executing, decision.Request.Status);
    }

    [Fact]
    public void Decide_ApprovalGrantedTwiceWithSameLink_SecondIsRefused()
    {
        var run = DeciderHarness.For().AwaitingApproval(("crm", 7));
        run.Approve("approve-nonce");
        var before = run.Request;

        var decision = run.Approve("approve-nonce");

        decision.AssertRefused(before);
    }

    [Fact]
    public void Decide_ApprovalGrantedWithLinkUsedForEarlierStep_IsRefusedWhileAwaitingApproval()
    {
        var run = DeciderHarness.For().AwaitingApproval(("crm", 7));
        run.Apply(new InformationRequested("staff:grace", "Which account?", "link-1"));
        run.Apply(new InformationProvided("requester", "ACC-9"));
        Assert.Equal(RequestStatus.AwaitingApproval, run.Request.Status);
        var before = run.Request;

        var decision = run.Approve("link-1");

        decision.AssertRefused(before);
    }

    [Theory]
    [InlineData(RequestStatus.AwaitingVerification)]
    [InlineData(RequestStatus.Discovering)]
    [InlineData(RequestStatus.Executing)]
    public void Decide_ApprovalGrantedWhenNotAwaitingApproval_IsRefused(RequestStatus status)
    {
        var run = DeciderHarness.For();
        run.Submit();
        if (status != RequestStatus.AwaitingVerification)
        {
            run.Verify();
        }

        if (status == RequestStatus.Executing)
        {
            run.Found("crm", 1);
            run.Found("billing", 0);
            run.Found("logs", 0);
            run.Approve();
        }

        Assert.Equal(status, run.Request.Status);
        var before = run.Request;

        var decision = run.Approve();

        decision.AssertRefused(before);
    }

    [Fact]
    public void Decide_ApprovalFromAnEarlierRound_IsRefusedAndChangesNothing()
    {
        var run = DeciderHarness.For().AwaitingApproval(("crm", 7));
        run.Apply(new InformationRequested("approver:a@example.com", "Which account?", "nonce-a", ActionStep.Approval(1)));
        run.Apply(new InformationProvided("requester", "The one ending 1001.", "nonce-info", ActionStep.Information(1)));
        Assert.Equal(RequestStatus.AwaitingApproval, run.Request.Status);
        Assert.Equal(2, run.Request.Progress.ApprovalRound);
        var before = run.Request;

        var approved = run.Apply(new ApprovalGranted("approver:b@example.com", null, "nonce-b", null, ActionStep.Approval(1)));
        var rejected = run.Apply(new RequestRejected("approver:b@example.com", RejectionReason.Other, null, "nonce-b", ActionStep.Approval(1)));
        var asked = run.Apply(new InformationRequested("approver:b@example.com", "Again?", "nonce-b", ActionStep.Approval(1)));

        approved.AssertRefused(before);
        rejected.AssertRefused(before);
        asked.AssertRefused(before);
        Assert.Equal(RequestDecider.StaleLink, approved.Refused);
        Assert.True(run.Apply(new ApprovalGranted("approver:b@example.com", null, "nonce-b2", null, ActionStep.Approval(2))).Changed);
    }

    [Fact]
    public void Decide_AnswerFromAnEarlierQuestionOrUsedLink_IsRefused()
    {
        var run = DeciderHarness.For().AwaitingApproval(("crm", 7));
        run.Apply(new InformationRequested("approver:a@example.com", "Which account?", "nonce-a", ActionStep.Approval(1)));
        run.Apply(new InformationProvided("requester", "First answer.", "nonce-info-1", ActionStep.Information(1)));
        run.Apply(new InformationRequested("approver:a@example.com", "And the phone number?", "nonce-a2", ActionStep.Approval(2)));
        var before = run.Request;

        var stale = run.Apply(new InformationProvided("requester", "Old link.", "nonce-info-1b", ActionStep.Information(1)));
        var reused = run.Apply(new InformationProvided("requester", "Same link again.", "nonce-info-1", ActionStep.Information(2)));

        stale.AssertRefused(before);
        reused.AssertRefused(before);
    }

    [Theory]
    [InlineData("verification", ActionStepKind.Verification, 1, null)]
    [InlineData("verification-2", ActionStepKind.Verification, 2, null)]
    [InlineData("information-2", ActionStepKind.Information, 2, null)]
    [InlineData("approval-3", ActionStepKind.Approval, 3, null)]
    [InlineData("discover:crm:1", ActionStepKind.Discover, 1, "crm")]
    [InlineData("execute:billing:2", ActionStepKind.Execute, 2, "billing")]
    public void ActionStep_Format_ReadsBack(string text, ActionStepKind kind, int round, string? source)
    {
        var step = ActionStep.Parse(text);

        Assert.Equal(new ActionStep(kind, round, source), step);
        Assert.Equal(text, step!.Format());
    }

    [Theory]
    [InlineData("")]
    [InlineData("approval")]
    [InlineData("approval-0")]
    [InlineData("approval--1")]
    [InlineData("approval-x")]
    [InlineData("export-1")]
    [InlineData("discover::1")]
    [InlineData("verification:crm:1")]
    [InlineData("crm|contact")]
    public void ActionStep_Parse_RefusesOtherText(string text) => Assert.Null(ActionStep.Parse(text));
}
