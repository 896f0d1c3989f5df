using DataRights.Core.Requests;
using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Workflow;

public sealed class TimerWorkTests
{
    [Theory]
    [InlineData("dr_1:timer:verification-reminder:1", TimerKind.VerificationReminder)]
    [InlineData("dr_1:timer:overdue:2026-12-30", TimerKind.Overdue)]
    [InlineData("dr_1:timer:restriction-lift", TimerKind.RestrictionLift)]
    public void KindOf_ReadsTheTimersKindFromItsWorkItemId(string id, TimerKind kind) =>
        Assert.Equal(kind, TimerWork.KindOf(id));

    [Theory]
    [InlineData("dr_1:message:completion:1")]
    [InlineData("dr_1:timer:no-such-timer:1")]
    [InlineData("dr_1:export:delete:1")]
    [InlineData("reminder")]
    public void KindOf_OtherWork_IsNoTimer(string id) => Assert.Null(TimerWork.KindOf(id));

    [Fact]
    public void EndsWithTheRequest_EveryTimerButARestrictionsLift()
    {
        Assert.True(TimerWork.EndsWithTheRequest("dr_1:timer:deadline-reminder:2026-12-23"));
        Assert.False(TimerWork.EndsWithTheRequest("dr_1:timer:restriction-lift:1"));
        Assert.False(TimerWork.EndsWithTheRequest("dr_1:export:delete:1"));
        Assert.Equal([TimerKind.RestrictionLift], Enum.GetValues<TimerKind>().Where(TimerWork.OutlivesTheClose));
    }

    [Theory]
    [InlineData(RequestStatus.Completed)]
    [InlineData(RequestStatus.Rejected)]
    [InlineData(RequestStatus.Expired)]
    public void ATimerThatEndsWithTheRequest_ChangesNothingOnAClosedRequest(RequestStatus final)
    {
        // What lets the orchestration drop such timers at the close without running them.
        foreach (var kind in Enum.GetValues<TimerKind>().Where(k => !TimerWork.OutlivesTheClose(k)))
        {
            var run = DeciderHarness.InFinal(final);
            var before = run.Request;

            run.Timer(kind, "1").AssertIgnored(before);
        }
    }

    [Fact]
    public void EachWaitForAPerson_EndsWithItsStage_AndASpentTimerStaysSpent()
    {
        // A request through every wait for a person: confirmation, approval, a question answered, approval again, the close.
        // After each decision, every timer set so far that the rule calls spent changes nothing now and at every later
        // stage (what lets the orchestration drop it as the request moves on), and every timer of the stage the request
        // waits in is kept.
        var run = DeciderHarness.For();
        var timers = new List<FireTimer>();
        var spent = new HashSet<string>(StringComparer.Ordinal);
        var kept = new List<List<string>>();
        void After(Decision decision)
        {
            Assert.True(decision.Changed, decision.Refused ?? decision.Ignored);
            timers.AddRange(decision.Effects.OfType<FireTimer>());
            var stage = RequestStage.Of(run.Request);
            List<string> live = [];
            foreach (var timer in timers)
            {
                if (TimerWork.IsSpent(timer.Id, stage))
                {
                    spent.Add(timer.Id);
                    var before = run.Request;
                    RequestDecider.Decide(run.Request, new TimerElapsed("timer", timer.Kind, timer.Tag), run.Context).AssertIgnored(before);
                }
                else
                {
                    Assert.DoesNotContain(timer.Id, spent);
                    live.Add(timer.Id);
                }
            }

            kept.Add([.. live.Where(id => TimerWork.KindOf(id) is not (TimerKind.DeadlineReminder or TimerKind.Overdue)).Select(Kind)]);
        }

        After(run.Submit());
        After(run.Verify());
        foreach (var source in run.Sources)
        {
            After(run.Found(source.Key, 1));
        }

        After(run.Apply(new InformationRequested("staff:grace", "Which account is yours?")));
        After(run.Apply(new InformationProvided("requester", "The one ending 42.")));
        After(run.Approve());
        foreach (var source in run.Request.Progress.Sources.Where(s => s.Execution == StepState.Pending).ToList())
        {
            After(run.Executed(source.Key));
        }

        Assert.Equal(RequestStatus.Completed, run.Request.Status);
        // Submitted: the confirmation's reminder and expiry wait. Confirmed: they are spent. Each approval round's
        // reminder and escalation wait while it does; the question's reminder and notice while it is unanswered.
        Assert.Equal(["verification-reminder:1", "verification-expiry:1"], kept[0]);
        Assert.Empty(kept[1]);
        Assert.Equal(["approval-reminder:1", "approval-escalation:1"], kept[run.Sources.Count + 1]);
        Assert.Equal(["information-reminder:1", "information-unanswered:1"], kept[run.Sources.Count + 2]);
        Assert.Equal(["approval-reminder:2", "approval-escalation:2"], kept[run.Sources.Count + 3]);
        Assert.Empty(kept[^1]);
        Assert.Equal(timers.Select(t => t.Id).Where(TimerWork.EndsWithTheRequest).Distinct().Order(), spent.Order());
    }

    [Theory]
    [InlineData("dr_1:timer:verification-reminder:1", RequestStatus.AwaitingVerification, 2, 0, true)]
    [InlineData("dr_1:timer:verification-reminder:2", RequestStatus.AwaitingVerification, 2, 0, false)]
    [InlineData("dr_1:timer:verification-expiry:2", RequestStatus.Discovering, 2, 0, true)]
    [InlineData("dr_1:timer:approval-reminder:1", RequestStatus.AwaitingApproval, 1, 2, true)]
    [InlineData("dr_1:timer:approval-escalation:2", RequestStatus.AwaitingApproval, 1, 2, false)]
    [InlineData("dr_1:timer:information-reminder:2", RequestStatus.AwaitingApproval, 1, 2, true)]
    [InlineData("dr_1:timer:deadline-reminder:7d@2026-12-23", RequestStatus.AwaitingApproval, 1, 2, false)]
    [InlineData("dr_1:timer:search-again:1", RequestStatus.AwaitingApproval, 1, 2, false)]
    [InlineData("dr_1:timer:restriction-lift:1", RequestStatus.Completed, 1, 2, false)]
    [InlineData("dr_1:timer:overdue:@2026-12-30", RequestStatus.Completed, 1, 2, true)]
    [InlineData("dr_1:message:approval-request:1", RequestStatus.Completed, 1, 2, false)]
    public void IsSpent_ByStatusAndRound(string id, RequestStatus status, int verificationRound, int approvalRound, bool spent) =>
        Assert.Equal(spent, TimerWork.IsSpent(id, new RequestStage(status, verificationRound, approvalRound, Version: 1)));

    private static string Kind(string id) => id[(id.IndexOf(":timer:", StringComparison.Ordinal) + ":timer:".Length)..];
}
