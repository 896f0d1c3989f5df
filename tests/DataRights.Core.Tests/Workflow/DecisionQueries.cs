using DataRights.Core.Audit;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Workflow;

/// <summary>Reads the parts of a decision tests assert on.</summary>
internal static class DecisionQueries
{
    public static IReadOnlyList<AuditDraft> Transitions(this Decision decision) =>
        [.. decision.Audit.Where(a => a.FromStatus is not null || a.ToStatus is not null)];

    public static IReadOnlyList<(string? From, string? To)> StatusMoves(this Decision decision) =>
        [.. decision.Transitions().Select(a => (a.FromStatus, a.ToStatus))];

    public static IReadOnlyList<string> Actions(this Decision decision) => [.. decision.Audit.Select(a => a.Action)];

    public static IReadOnlyList<SendMessage> Messages(this Decision decision) => [.. decision.Effects.OfType<SendMessage>()];

    /// <summary>The timers the request keeps and waits for once the decision is made (what its orchestration keeps).</summary>
    public static IReadOnlyList<PlannedTimer> Waiting(this Decision decision) => TimerWork.Waiting(decision.Request);

    /// <summary>The timers of <paramref name="kind"/> the request waits for once the decision is made (what its orchestration keeps).</summary>
    public static IReadOnlyList<PlannedTimer> Waiting(this Decision decision, TimerKind kind) =>
        [.. TimerWork.Waiting(decision.Request).Where(t => t.Kind == kind)];

    /// <summary>The searches the request waits to have run once the decision is made (what its orchestration runs).</summary>
    public static IReadOnlyList<PendingSourceStep> Discoveries(this Decision decision) =>
        [.. RequestDecider.StepsToRun(decision.Request).Where(s => s.Step == SourceStep.Discover)];

    /// <summary>The carrying out at sources the request waits to have run once the decision is made (what its orchestration runs).</summary>
    public static IReadOnlyList<PendingSourceStep> Executions(this Decision decision) =>
        [.. RequestDecider.StepsToRun(decision.Request).Where(s => s.Step == SourceStep.Execute)];

    public static SendMessage SingleMessage(this Decision decision) => Assert.Single(decision.Messages());

    public static AuditDraft SingleAudit(this Decision decision, string action) => Assert.Single(decision.Audit, a => a.Action == action);

    /// <summary>Asserts the event was ignored: no change, no audit, no effects, the very same request.</summary>
    public static void AssertIgnored(this Decision decision, DataSubjectRequest before)
    {
        Assert.NotNull(decision.Ignored);
        Assert.Null(decision.Refused);
        Assert.False(decision.Changed);
        Assert.Same(before, decision.Request);
        Assert.Empty(decision.Audit);
        Assert.Empty(decision.Effects);
    }

    /// <summary>Asserts the event was refused: a reason for the person, nothing changed.</summary>
    public static void AssertRefused(this Decision decision, DataSubjectRequest before)
    {
        Assert.NotNull(decision.Refused);

        // The reason is read by a person: a request's state in words, never its status key.
        Assert.DoesNotMatch(@"\b(awaiting|executing|discovering)\b|_", decision.Refused);
        Assert.Null(decision.Ignored);
        Assert.False(decision.Changed);
        Assert.Same(before, decision.Request);
        Assert.Empty(decision.Audit);
        Assert.Empty(decision.Effects);
    }
}
