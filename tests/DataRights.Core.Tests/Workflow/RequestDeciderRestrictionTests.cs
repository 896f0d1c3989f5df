using DataRights.Core.Requests;
using DataRights.Core.Sources;
using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Workflow;

public sealed class RequestDeciderRestrictionTests
{
    private static DeciderHarness Restricted()
    {
        var run = DeciderHarness.For(type: RequestType.Restriction).Executing(("crm", 2));
        run.Apply(new SourceExecuted("worker", "crm", 1, new ExecutionOutcome(0, 0, 0, 0, []) { Restricted = 2 }));
        Assert.Equal(RequestStatus.Completed, run.Request.Status);
        return run;
    }

    [Fact]
    public void Decide_RestrictionCompleted_PlacesTheRestriction()
    {
        var run = Restricted();

        Assert.Equal(run.Now, run.Request.Progress.Restriction!.PlacedAt);
        Assert.Null(run.Request.Progress.Restriction.LiftAt);
    }

    [Fact]
    public void Decide_LiftRequested_TellsThePersonNowAndLiftsAfterTheNoticePeriod()
    {
        var run = Restricted();

        var decision = run.Apply(new RestrictionLiftRequested("staff:grace", "The dispute is settled."));

        Assert.Equal(MessageKind.RestrictionLifting, decision.SingleMessage().Kind);

        // The closed request keeps the lift's timer, and its orchestration waits for it.
        var timer = Assert.Single(decision.Waiting());
        Assert.Equal((TimerKind.RestrictionLift, run.Now + TimeSpan.FromDays(7)), (timer.Kind, timer.At));
        Assert.Empty(decision.Effects.OfType<LiftRestriction>());
    }

    [Fact]
    public void Decide_LiftTimerOnTheCompletedRequest_AsksSourcesToRelease()
    {
        var run = Restricted();
        run.Apply(new RestrictionLiftRequested("staff:grace", "The dispute is settled."));
        run.Advance(TimeSpan.FromDays(7));

        var decision = run.Timer(TimerKind.RestrictionLift, "1");

        // It acts once: the request no longer waits for it, and a repeated telling changes nothing.
        Assert.Single(decision.Effects.OfType<LiftRestriction>());
        Assert.Empty(decision.Waiting());
        run.Timer(TimerKind.RestrictionLift, "1").AssertIgnored(run.Request);
        Assert.True(run.Apply(new RestrictionLifted("system:restriction", 1)).Changed);
        Assert.NotNull(run.Request.Progress.Restriction!.LiftedAt);
        Assert.Empty(TimerWork.Waiting(run.Request));
    }

    [Fact]
    public void Decide_LiftRequestedTwiceOrWithoutARestriction_IsRefused()
    {
        var run = Restricted();
        run.Apply(new RestrictionLiftRequested("staff:grace", "The dispute is settled."));
        var before = run.Request;
        run.Apply(new RestrictionLiftRequested("staff:grace", "Again.")).AssertRefused(before);

        var erasure = DeciderHarness.InFinal(RequestStatus.Completed);
        var done = erasure.Request;
        erasure.Apply(new RestrictionLiftRequested("staff:grace", "Nothing to lift.")).AssertRefused(done);
    }
}
