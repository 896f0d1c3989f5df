using DataRights.Core.Requests;
using DataRights.Core.Sources;
using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Workflow;

public sealed class RequestDeciderDiscoveryTests
{
    [Fact]
    public void Decide_SourceDiscoveredWhileOthersPending_RecordsFindingsAndKeepsWaiting()
    {
        var run = DeciderHarness.For().Discovering();

        var decision = run.Found("crm", 7);

        Assert.Equal(RequestStatus.Discovering, decision.Request.Status);
        Assert.Empty(decision.Transitions());
        Assert.Empty(decision.Effects);
        var crm = decision.Request.Progress.Source("crm")!;
        Assert.Equal(StepState.Succeeded, crm.Discovery);
        Assert.Equal(7, crm.Findings!.RecordCount);
        Assert.Equal(StepState.Pending, decision.Request.Progress.Source("billing")!.Discovery);
        var note = decision.SingleAudit("source.discovered");
        Assert.Equal("crm", note.Details!["source"]);
        Assert.Equal("7", note.Details["records"]);
        Assert.Equal("contact,billing", note.Details["categories"]);
    }

    [Fact]
    public void Decide_LastSourceAnswers_MovesToAwaitingApprovalWithRequestAndTimers()
    {
        var run = DeciderHarness.For().Discovering();
        run.Found("crm", 7);
        run.Found("billing", 0);
        run.Advance(TimeSpan.FromMinutes(30));

        var decision = run.Found("logs", 2);

        Assert.Equal(RequestStatus.AwaitingApproval, decision.Request.Status);
        Assert.Equal([("discovering", "awaiting_approval")], decision.StatusMoves());
        Assert.Equal(new SendMessage("req-1:message:approval-request:1", run.Now, MessageKind.ApprovalRequest), decision.SingleMessage());
        Assert.Equal(
            [
                new PlannedTimer(TimerKind.ApprovalReminder, "1", run.Now.AddHours(48)),
                new PlannedTimer(TimerKind.ApprovalEscalation, "1", run.Now.AddHours(96)),
            ],
            decision.Waiting().Where(t => t.Kind is TimerKind.ApprovalReminder or TimerKind.ApprovalEscalation));
        Assert.Equal(1, decision.Request.Progress.ApprovalRound);
        var details = decision.SingleAudit("approval.requested").Details!;
        Assert.Equal("2", details["sourcesWithData"]);
        Assert.Equal("0", details["sourcesFailed"]);
        Assert.Equal("9", details["records"]);
    }

    [Fact]
    public void Decide_DiscoveryFailuresAmongAnswers_KeepsFailedSourcesAndStillMovesToApproval()
    {
        var run = DeciderHarness.For().Discovering();
        run.Found("crm", 7);
        run.DiscoveryFailed("billing");

        var decision = run.Found("logs", 0);

        Assert.Equal(RequestStatus.AwaitingApproval, decision.Request.Status);
        Assert.Equal(["crm", "billing", "logs"], decision.Request.Progress.Sources.Select(s => s.Key));
        var billing = decision.Request.Progress.Source("billing")!;
        Assert.Equal(StepState.Failed, billing.Discovery);
        Assert.Equal("timeout", billing.DiscoveryError);
        Assert.Null(billing.Findings);
        Assert.Equal("1", decision.SingleAudit("approval.requested").Details!["sourcesFailed"]);
    }

    [Fact]
    public void Decide_SourceDiscoveryFailed_AuditsTheErrorWithoutMovingOn()
    {
        var run = DeciderHarness.For().Discovering();

        var decision = run.DiscoveryFailed("crm");

        Assert.Equal(RequestStatus.Discovering, decision.Request.Status);
        var note = decision.SingleAudit("source.discovery_failed");
        Assert.Equal("crm", note.Details!["source"]);
        Assert.Equal("timeout", note.Details["error"]);
    }

    [Fact]
    public void Decide_EverySourceFails_StillMovesToApproval()
    {
        var run = DeciderHarness.For().Discovering();
        run.DiscoveryFailed("crm");
        run.DiscoveryFailed("billing");

        var decision = run.DiscoveryFailed("logs");

        Assert.Equal(RequestStatus.AwaitingApproval, decision.Request.Status);
        Assert.All(decision.Request.Progress.Sources, s => Assert.Equal(StepState.Failed, s.Discovery));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Decide_SourceDiscoveredForOtherRound_IsIgnored(int round)
    {
        var run = DeciderHarness.For().Discovering();
        var before = run.Request;

        var decision = run.Found("crm", 7, round: round);

        decision.AssertIgnored(before);
        Assert.Equal(StepState.Pending, decision.Request.Progress.Source("crm")!.Discovery);
    }

    [Fact]
    public void Decide_SecondResultForSameSource_IsIgnoredAndFirstKept()
    {
        var run = DeciderHarness.For().Discovering();
        run.Found("crm", 7);
        var before = run.Request;

        var again = run.Found("crm", 99);
        var failure = run.DiscoveryFailed("crm");

        again.AssertIgnored(before);
        failure.AssertIgnored(before);
        Assert.Equal(7, run.Request.Progress.Source("crm")!.Findings!.RecordCount);
    }

    [Fact]
    public void Decide_ResultForUnknownSource_IsIgnored()
    {
        var run = DeciderHarness.For().Discovering();
        var before = run.Request;

        var decision = run.Found("warehouse", 3, round: 1);

        decision.AssertIgnored(before);
    }

    [Fact]
    public void Decide_LateResultAfterApprovalRequested_IsIgnored()
    {
        var run = DeciderHarness.For().AwaitingApproval(("crm", 7));
        var before = run.Request;

        var decision = run.Found("crm", 8, round: 1);

        decision.AssertIgnored(before);
        Assert.Equal(RequestStatus.AwaitingApproval, decision.Request.Status);
    }

    [Fact]
    public void Decide_SourceListChangesAfterDiscoveryStarted_FanInWaitsOnlyForSourcesAskedAtStart()
    {
        var run = DeciderHarness.For().Discovering();
        run.Sources = [TestRequests.Crm];
        run.Found("crm", 1);
        run.Found("billing", 1);

        var decision = run.Found("logs", 1);

        Assert.Equal(RequestStatus.AwaitingApproval, decision.Request.Status);
        Assert.Equal(3, decision.Request.Progress.Sources.Count);
    }

    [Fact]
    public void Decide_DiscoveryStarted_CopiesAccessAndNameFromDescriptor()
    {
        var run = DeciderHarness.For().Discovering();

        Assert.Equal(SourceAccess.Read, run.Request.Progress.Source("logs")!.Access);
        Assert.Equal(SourceAccess.ReadWrite, run.Request.Progress.Source("crm")!.Access);
        Assert.Equal("Call logs", run.Request.Progress.Source("logs")!.DisplayName);
    }
}
