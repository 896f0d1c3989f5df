using DataRights.Core.Requests;
using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Workflow;

public sealed class RequestDeciderRejectionTests
{
    public static TheoryData<RejectionReason> AllReasons() => [.. Enum.GetValues<RejectionReason>()];

    [Theory]
    [MemberData(nameof(AllReasons))]
    public void Decide_RequestRejectedAtApproval_RejectsWithReasonAndMessage(RejectionReason reason)
    {
        var run = DeciderHarness.For().AwaitingApproval(("crm", 7));

        var decision = run.Apply(new RequestRejected("staff:grace", reason, "see notes", "reject-nonce"));

        Assert.Equal(RequestStatus.Rejected, decision.Request.Status);
        var move = Assert.Single(decision.Transitions());
        Assert.Equal(("awaiting_approval", "rejected"), (move.FromStatus, move.ToStatus));
        Assert.Equal(reason.Name(), move.Details!["reason"]);
        Assert.Equal(new SendMessage("req-1:message:rejection:1", run.Now, MessageKind.Rejection), decision.SingleMessage());
        Assert.Equal(reason, decision.Request.Progress.Rejection);
        Assert.Equal("see notes", decision.Request.Progress.RejectionNote);
        Assert.Equal(new ApprovalRecord("rejected", "staff:grace", run.Now, "see notes"), decision.Request.Progress.Approval);
        Assert.Contains("reject-nonce", decision.Request.Progress.UsedLinkNonces);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public void Decide_RejectedForAnotherReasonWithoutExplaining_IsRefused(string? note)
    {
        // With "another reason" the email tells the person why in the note's words; without one it would give no reason.
        var run = DeciderHarness.For().AwaitingApproval(("crm", 7));
        var before = run.Request;

        var decision = run.Apply(new RequestRejected("approver:grace", RejectionReason.Other, note, "reject-nonce"));

        decision.AssertRefused(before);
        Assert.DoesNotContain("reject-nonce", decision.Request.Progress.UsedLinkNonces);
    }

    [Fact]
    public void Decide_RequestRejectedWhileAwaitingVerification_RejectsWithoutApprovalRecord()
    {
        var run = DeciderHarness.For();
        run.Submit();

        var decision = run.Apply(new RequestRejected("staff:grace", RejectionReason.Duplicate, null));

        Assert.Equal(RequestStatus.Rejected, decision.Request.Status);
        Assert.Equal([("awaiting_verification", "rejected")], decision.StatusMoves());
        Assert.Null(decision.Request.Progress.Approval);
        Assert.Equal(MessageKind.Rejection, decision.SingleMessage().Kind);
    }

    [Fact]
    public void Decide_RequestRejectedWhileDiscovering_Rejects()
    {
        var run = DeciderHarness.For().Discovering();

        var decision = run.Apply(new RequestRejected("staff:grace", RejectionReason.Withdrawn, null));

        Assert.Equal([("discovering", "rejected")], decision.StatusMoves());
    }

    [Fact]
    public void Decide_RequestRejectedWhileFailed_Rejects()
    {
        var run = DeciderHarness.For().Executing(("crm", 7));
        run.ExecutionFailed("crm");
        Assert.Equal(RequestStatus.Failed, run.Request.Status);

        var decision = run.Apply(new RequestRejected("staff:grace", RejectionReason.Other, "source gone"));

        Assert.Equal([("failed", "rejected")], decision.StatusMoves());
    }

    [Fact]
    public void Decide_RequestRejectedWhileExecuting_IsRefused()
    {
        var run = DeciderHarness.For().Executing(("crm", 7));
        var before = run.Request;

        var decision = run.Apply(new RequestRejected("staff:grace", RejectionReason.Other, null));

        decision.AssertRefused(before);
        Assert.Equal(RequestStatus.Executing, decision.Request.Status);
    }

    [Theory]
    [InlineData(RequestStatus.Completed)]
    [InlineData(RequestStatus.Rejected)]
    [InlineData(RequestStatus.Expired)]
    public void Decide_RequestRejectedOnFinalRequest_IsRefused(RequestStatus final)
    {
        var run = DeciderHarness.InFinal(final);
        var before = run.Request;

        var decision = run.Apply(new RequestRejected("staff:grace", RejectionReason.Other, null));

        decision.AssertRefused(before);
    }

    [Fact]
    public void Decide_RequestRejectedWithUsedLink_IsRefused()
    {
        var run = DeciderHarness.For().AwaitingApproval(("crm", 7));
        run.Apply(new InformationRequested("staff:grace", "Which account?", "link-1"));
        run.Apply(new InformationProvided("requester", "ACC-9"));
        var before = run.Request;

        var decision = run.Apply(new RequestRejected("staff:grace", RejectionReason.NoMatch, null, "link-1"));

        decision.AssertRefused(before);
    }
}
