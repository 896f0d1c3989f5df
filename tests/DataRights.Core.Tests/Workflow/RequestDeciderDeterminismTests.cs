using DataRights.Core.Requests;
using DataRights.Core.Sources;
using DataRights.Core.Workflow;
using static DataRights.Core.Tests.Workflow.TestRequests;

namespace DataRights.Core.Tests.Workflow;

public sealed class RequestDeciderDeterminismTests
{
    [Fact]
    public void Decide_SameRequestEventAndContextTwice_GivesEqualDecisions()
    {
        var run = DeciderHarness.For().Discovering();
        run.Found("crm", 4);
        run.Found("billing", 1);
        var request = run.Request;
        var e = new SourceDiscovered("worker", "logs", 1, new DiscoveryFindings(2, ["calls"], false));
        var context = run.Context;

        var first = RequestDecider.Decide(request, e, context);
        var second = RequestDecider.Decide(request, e, context);

        Assert.Equal(Snapshot(first), Snapshot(second));
        Assert.Equal(first.Effects, second.Effects);
    }

    [Fact]
    public void Decide_WholeWorkflowReplayedFromScratch_GivesSameEffectsAuditAndStatuses()
    {
        var first = Script(DeciderHarness.For());
        var second = Script(DeciderHarness.For());

        Assert.Equal(first.Count, second.Count);
        for (var i = 0; i < first.Count; i++)
        {
            Assert.Equal(first[i], second[i]);
        }

        Assert.Equal(
            new HashSet<string>(first.SelectMany(s => s.EffectIds)).Count,
            first.SelectMany(s => s.EffectIds).Count());
    }

    [Theory]
    [InlineData("2019-03-04T10:00:00Z")]
    [InlineData("2041-11-20T10:00:00Z")]
    public void Decide_ContextNowFarFromToday_TakesEveryTimeFromInputs(string receivedAt)
    {
        var at = Instant(receivedAt);
        var run = DeciderHarness.For(receivedAt: at, sources: []);

        var submitted = run.Submit();
        run.Advance(TimeSpan.FromHours(1));
        var verified = run.Verify();

        // Were the real clock read, reminders for a 2019 due date would be "in the past" and dropped.
        Assert.Equal(3, verified.Waiting(TimerKind.DeadlineReminder).Count);
        Assert.All(submitted.Audit, a => Assert.Equal(at, a.At));
        Assert.All(submitted.Messages(), m => Assert.Equal(at, m.NotBefore));
        Assert.Equal(at.AddDays(3), Assert.Single(submitted.Waiting(TimerKind.VerificationReminder)).At);
        Assert.Equal(at, submitted.Request.UpdatedAt);
        Assert.All(verified.Audit, a => Assert.Equal(at.AddHours(1), a.At));
        Assert.Equal(at.AddHours(1), verified.Request.Progress.VerifiedAt);
        Assert.Equal(at.AddHours(1 + 48), Assert.Single(verified.Waiting(TimerKind.ApprovalReminder)).At);
        Assert.Equal(at.AddHours(1), verified.Request.UpdatedAt);
    }

    [Fact]
    public void Decide_SameEventAtDifferentTimes_GivesSameEffectIds()
    {
        var a = DeciderHarness.For();
        var b = DeciderHarness.For();
        b.Now = a.Now.AddMinutes(7);

        var first = a.Submit();
        var second = b.Submit();

        Assert.Equal(first.Effects.Select(x => x.Id), second.Effects.Select(x => x.Id));
        Assert.All(first.Effects, x => Assert.StartsWith("req-1:", x.Id, StringComparison.Ordinal));
    }

    private static List<Step> Script(DeciderHarness run)
    {
        var steps = new List<Step>();
        void Record(Decision d)
        {
            steps.Add(Snapshot(d));
            run.Advance(TimeSpan.FromMinutes(7));
        }

        Record(run.Submit());
        Record(run.Apply(new VerificationResendRequested("requester")));
        Record(run.Verify());
        Record(run.Found("crm", 5));
        Record(run.DiscoveryFailed("billing"));
        Record(run.Found("logs", 2));
        Record(run.Apply(new DeadlineExtended("staff:grace", "complex")));
        Record(run.Approve());
        Record(run.ExecutionFailed("billing"));
        Record(run.Executed("crm"));
        Record(run.Apply(new RetryRequested("staff:grace")));
        Record(run.Executed("billing"));
        return steps;
    }

    private static Step Snapshot(Decision d) => new(
        d.Request.Status,
        d.Request.Deadline.DueOn,
        d.Ignored,
        d.Refused,
        string.Join("|", d.Effects.Select(e => e.Id)),
        string.Join("|", d.Effects.Select(e => e.ToString())),
        string.Join("|", d.Audit.Select(a => $"{a.At:O} {a.Actor} {a.Action} {a.FromStatus}>{a.ToStatus} {Details(a.Details)}")),
        string.Join("|", d.Request.Progress.Sources.Select(s => $"{s.Key}:{s.Discovery}:{s.Execution}:{s.ExecutionRound}")));

    private static string Details(IReadOnlyDictionary<string, string?>? details) =>
        details is null ? "" : string.Join(",", details.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    private sealed record Step(
        RequestStatus Status,
        DateOnly DueOn,
        string? Ignored,
        string? Refused,
        string Effects,
        string EffectValues,
        string Audit,
        string Sources)
    {
        public IEnumerable<string> EffectIds => Effects.Length == 0 ? [] : Effects.Split('|');
    }
}
