using DataRights.Core.Requests;
using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Workflow;

/// <summary>
/// The source steps a request waits to have run (<see cref="RequestDecider.StepsToRun"/>), which its orchestration runs
/// from the stage with no work item behind them.
/// </summary>
public sealed class StepsToRunTests
{
    private static PendingSourceStep Search(string source, int round = 1) => new(SourceStep.Discover, source, round);

    private static PendingSourceStep CarryOut(string source, int round = 1) => new(SourceStep.Execute, source, round);

    [Fact]
    public void BeingSearched_ListsEachSourceNotAnsweredYet_NoneTakenOnToAnswerLater_AndNoneOnceAllHaveAnswered()
    {
        var run = DeciderHarness.For().Discovering();
        Assert.Equal([Search("crm"), Search("billing"), Search("logs")], RequestStage.Of(run.Request).Steps);

        run.Found("crm", 2);
        var awaited = run.Apply(new SourceAnswerAwaited("system:discovery", "billing", SourceStep.Discover, 1, RemindOwner: false));

        // crm answered; billing answers later (its answer is awaited, not asked for again).
        Assert.Equal([Search("logs")], RequestStage.Of(awaited.Request).Steps);

        run.Found("logs", 0);
        var answered = run.Found("billing", 1);

        Assert.Equal(RequestStatus.AwaitingApproval, answered.Request.Status);
        Assert.Empty(RequestStage.Of(answered.Request).Steps);
    }

    [Fact]
    public void Approved_ListsTheCarryingOutAtEachSourceHoldingData_InItsRound_AndAStaffRetryListsTheFailedOnesInTheNext()
    {
        var run = DeciderHarness.For().Executing(("crm", 3), ("billing", 2));
        Assert.Equal([CarryOut("crm"), CarryOut("billing")], RequestStage.Of(run.Request).Steps);

        run.Executed("crm");
        var failed = run.ExecutionFailed("billing");
        Assert.Equal(RequestStatus.Failed, failed.Request.Status);
        Assert.Empty(RequestStage.Of(failed.Request).Steps);

        var retried = run.Apply(new RetryRequested("staff:grace"));

        Assert.Equal([CarryOut("billing", 2)], RequestStage.Of(retried.Request).Steps);
    }

    [Theory]
    [InlineData(RequestStatus.Completed)]
    [InlineData(RequestStatus.Rejected)]
    [InlineData(RequestStatus.Expired)]
    public void AClosedRequest_ListsNoStep(RequestStatus final) =>
        Assert.Empty(RequestDecider.StepsToRun(DeciderHarness.InFinal(final).Request));
}
