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
    public void OnlyARestrictionsLift_OutlivesTheClose()
    {
        Assert.Equal([TimerKind.RestrictionLift], Enum.GetValues<TimerKind>().Where(TimerWork.OutlivesTheClose));
    }

    [Fact]
    public void EveryKindOfTimer_IsKeptByTheRequest_NoneSetAsAWorkItem()
    {
        // What the orchestration waits for on timers of its own; a new kind must say which wait it belongs to.
        Assert.All(Enum.GetValues<TimerKind>(), kind => Assert.True(TimerWork.KeptByTheRequest(kind), kind.ToString()));
    }

    [Fact]
    public void AClosedRequest_WaitsOnlyForARestrictionsLift_UntilItHasRun()
    {
        var run = DeciderHarness.For(type: RequestType.Restriction).Executing(("crm", 2));
        foreach (var source in run.Request.Progress.Sources.Where(s => s.Execution == StepState.Pending).ToList())
        {
            run.Executed(source.Key);
        }

        Assert.True(RequestLifecycle.IsFinal(run.Request.Status));
        Assert.Empty(TimerWork.Waiting(run.Request));

        run.Apply(new RestrictionLiftRequested("staff:grace", "The dispute is settled."));
        Assert.Equal([TimerKind.RestrictionLift], TimerWork.Waiting(run.Request).Select(t => t.Kind));

        run.Advance(TimeSpan.FromDays(7));
        run.Timer(TimerKind.RestrictionLift, "1");
        Assert.Empty(TimerWork.Waiting(run.Request));
    }

    [Theory]
    [InlineData(RequestStatus.Completed)]
    [InlineData(RequestStatus.Rejected)]
    [InlineData(RequestStatus.Expired)]
    public void ATimerThatEndsWithTheRequest_ChangesNothingOnAClosedRequest(RequestStatus final)
    {
        // What lets the orchestration let go of such timers at the close without running them.
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
        // After each decision, every such timer set so far that the request no longer waits for changes nothing now and at
        // every later stage (what lets the orchestration let go of it as the request moves on), and every timer of the
        // stage the request waits in is waited for.
        var run = DeciderHarness.For();
        var timers = new List<(string Id, TimerKind Kind, string Tag)>();
        var spent = new HashSet<string>(StringComparer.Ordinal);
        var kept = new List<List<string>>();
        void After(Decision decision)
        {
            Assert.True(decision.Changed, decision.Refused ?? decision.Ignored);
            timers.AddRange(run.Request.Progress.PlannedTimers.Where(t => t.Kind is not (TimerKind.DeadlineReminder or TimerKind.Overdue))
                .Select(t => (Id: t.IdFor(run.Request.Id), t.Kind, t.Tag)).Where(t => !timers.Exists(known => known.Id == t.Id)).ToList());
            var stage = RequestStage.Of(run.Request);
            List<string> live = [];
            foreach (var timer in timers)
            {
                if (!stage.Timers.Any(t => t.IdFor(run.Request.Id) == timer.Id))
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

            kept.Add([.. live.Select(Kind)]);
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
        Assert.Equal(timers.Select(t => t.Id).Distinct().Order(), spent.Order());
    }

    [Fact]
    public void AnExtension_SpendsTheEarlierDatesDeadlineTimers_AndKeepsTheNewDatesWaiting()
    {
        var run = DeciderHarness.For();
        run.Submit();
        run.Verify();
        var firstTimers = Deadlines(RequestStage.Of(run.Request));
        var first = run.Request.Deadline.DueOn;
        Assert.Equal(4, firstTimers.Count);
        Assert.All(firstTimers, t => Assert.EndsWith("@" + first.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), t.Tag, StringComparison.Ordinal));

        run.Apply(new DeadlineExtended("staff:grace", "complex request"));

        var stage = RequestStage.Of(run.Request);
        Assert.True(stage.DueOn > first);
        Assert.Equal(4, Deadlines(stage).Count);
        Assert.Empty(stage.Timers.Intersect(firstTimers));
        foreach (var timer in firstTimers)
        {
            // No longer waited for, and the decider agrees when it fires on its time.
            run.Now = timer.At;
            var unchanged = run.Request;
            run.Timer(timer.Kind, timer.Tag).AssertIgnored(unchanged);
        }
    }

    [Fact]
    public void ADueDate_NeverMovesEarlier_SoADeadlineTimerOfAnEarlierDateStaysSpent()
    {
        // Random journeys through the decider in every jurisdiction: a wait before confirming (the UK clock stands still),
        // questions asked and answered (the UK clock stands still for a request for access), an extension. After each
        // decision the due date is never earlier than before, and every deadline timer set so far whose date is earlier
        // changes nothing when it fires (what lets the orchestration drop it once the due date has moved on).
        var random = new Random(20261206);
        var moved = 0;
        var spentSeen = 0;
        for (var journey = 0; journey < 240; journey++)
        {
            var jurisdiction = Enum.GetValues<Jurisdiction>()[journey % Enum.GetValues<Jurisdiction>().Length];
            var run = DeciderHarness.For(jurisdiction, TestRequests.ReceivedAt.AddDays(random.Next(0, 120)), RequestType.Access);
            var timers = new List<PlannedTimer>();
            var due = run.Request.Deadline.DueOn;
            var first = due;
            void After(Decision decision)
            {
                timers.AddRange(decision.Request.Progress.PlannedTimers.Where(t => t.Kind is TimerKind.DeadlineReminder or TimerKind.Overdue).Except(timers));
                Assert.True(run.Request.Deadline.DueOn >= due, $"journey {journey}: the due date moved from {due} to {run.Request.Deadline.DueOn}");
                due = run.Request.Deadline.DueOn;
                var stage = RequestStage.Of(run.Request);
                Assert.All(Deadlines(stage), t => Assert.EndsWith("@" + due.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), t.Tag, StringComparison.Ordinal));
                foreach (var timer in timers.Where(t => DueDateOf(t) < due))
                {
                    spentSeen++;
                    var unchanged = run.Request;
                    RequestDecider.Decide(run.Request, new TimerElapsed("timer", timer.Kind, timer.Tag), run.Context).AssertIgnored(unchanged);
                }
            }

            After(run.Submit());
            run.Advance(TimeSpan.FromHours(random.Next(0, 24 * 10)));
            After(run.Verify());
            foreach (var source in run.Sources)
            {
                After(run.Found(source.Key, random.Next(0, 2)));
            }

            for (var step = 0; step < 8; step++)
            {
                run.Advance(TimeSpan.FromHours(random.Next(0, 24 * 12)));
                switch (random.Next(3))
                {
                    case 0:
                        After(run.Apply(new InformationRequested("staff:grace", "Which account is yours?")));
                        break;
                    case 1:
                        After(run.Apply(new InformationProvided("requester", "The one ending 42.")));
                        break;
                    default:
                        After(run.Apply(new DeadlineExtended("staff:grace", "complex request")));
                        break;
                }
            }

            moved += due > first ? 1 : 0;
        }

        // Not vacuous: many journeys moved their due date, and earlier dates' timers were found spent and ignored.
        Assert.True(moved > 80, $"{moved} journeys moved their due date");
        Assert.True(spentSeen > 1000, $"{spentSeen} spent deadline timers checked");
    }

    [Fact]
    public void DeadlinesWaiting_NoneWhileTheClockStandsStill_AndTheDueDatesOnceItRuns()
    {
        // UK: the clock stands still until the person confirms, so the provisional due date's timers do not wait.
        var run = DeciderHarness.For();
        run.Submit();
        Assert.Empty(Deadlines(RequestStage.Of(run.Request)));

        run.Verify();

        Assert.Equal(
            ["deadline-reminder:7d@2026-10-01", "deadline-reminder:3d@2026-10-01", "deadline-reminder:1d@2026-10-01", "overdue:@2026-10-01"],
            Deadlines(RequestStage.Of(run.Request)).Select(t => $"{Kebab.Of(t.Kind)}:{t.Tag}"));
    }

    [Fact]
    public void DeadlinesWaiting_LeavesOutOneThatHasActed_AndAllOnceOverdue()
    {
        var run = DeciderHarness.For().AwaitingApproval(("crm", 2));
        run.Now = TestRequests.Instant("2026-09-24T08:00:00Z");
        run.Timer(TimerKind.DeadlineReminder, "7d@2026-10-01");

        Assert.Equal(["3d@2026-10-01", "1d@2026-10-01", "@2026-10-01"], Deadlines(RequestStage.Of(run.Request)).Select(t => t.Tag));

        run.Now = TestRequests.Instant("2026-10-02T08:00:00Z");
        run.Timer(TimerKind.Overdue, "@2026-10-01");

        Assert.True(run.Request.Progress.Overdue);
        Assert.Empty(Deadlines(RequestStage.Of(run.Request)));
    }

    [Fact]
    public void DeadlinesWaiting_NoneOnceClosed()
    {
        // California: the clock runs from receipt, so the timers wait from the start.
        var rejected = DeciderHarness.For(Jurisdiction.UsCa);
        rejected.Submit();
        Assert.Equal(4, Deadlines(RequestStage.Of(rejected.Request)).Count);
        rejected.Apply(new RequestRejected("staff:grace", RejectionReason.Duplicate, null));

        var completed = DeciderHarness.InFinal(RequestStatus.Completed);

        Assert.All([rejected.Request, completed.Request], r => Assert.Equal(4, r.Progress.PlannedTimers.Count(t => t.Kind is TimerKind.DeadlineReminder or TimerKind.Overdue)));
        Assert.Empty(RequestStage.Of(rejected.Request).Timers);
        Assert.Empty(RequestStage.Of(completed.Request).Timers);
    }

    // The due date a deadline timer was set for: what follows the '@' of its tag (7d@2026-12-23, @2026-12-30).
    private static DateOnly DueDateOf(PlannedTimer timer) =>
        DateOnly.ParseExact(timer.Tag[(timer.Tag.IndexOf('@', StringComparison.Ordinal) + 1)..], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static List<PlannedTimer> Deadlines(RequestStage stage) => [.. stage.Timers.Where(t => t.Kind is TimerKind.DeadlineReminder or TimerKind.Overdue)];

    private static string Kind(string id) => id[(id.IndexOf(":timer:", StringComparison.Ordinal) + ":timer:".Length)..];
}
