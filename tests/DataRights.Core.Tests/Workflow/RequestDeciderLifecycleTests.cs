using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Sources;
using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Workflow;

/// <summary>Properties every decision keeps, checked over every event in every state the workflow reaches.</summary>
public sealed class RequestDeciderLifecycleTests
{
    public static TheoryData<RequestStatus> ReachableStatuses() =>
    [
        RequestStatus.Received,
        RequestStatus.AwaitingVerification,
        RequestStatus.Discovering,
        RequestStatus.AwaitingApproval,
        RequestStatus.AwaitingInformation,
        RequestStatus.Executing,
        RequestStatus.Failed,
        RequestStatus.Completed,
        RequestStatus.Rejected,
        RequestStatus.Expired,
    ];

    public static TheoryData<RequestStatus> FinalStatuses() => [RequestStatus.Completed, RequestStatus.Rejected, RequestStatus.Expired];

    [Theory]
    [MemberData(nameof(ReachableStatuses))]
    public void Decide_AnyEventInAnyReachableState_MovesOnlyAlongAuditedLegalTransitions(RequestStatus status)
    {
        foreach (var e in AllEvents())
        {
            var run = Reach(status);
            var before = run.Request;
            run.Advance(TimeSpan.FromMinutes(10));

            var decision = run.Apply(e);

            var what = $"{e.GetType().Name} in {status}";
            if (!decision.Changed)
            {
                Assert.Same(before, decision.Request);
                Assert.Empty(decision.Audit);
                Assert.Empty(decision.Effects);
                continue;
            }

            Assert.NotEmpty(decision.Audit);
            Assert.All(decision.Audit, a => Assert.Equal((run.Now, e.Actor), (a.At, a.Actor)));
            Assert.All(decision.Transitions(), a => Assert.True(a.FromStatus is not null && a.ToStatus is not null, what));
            var current = before.Status.Name();
            foreach (var move in decision.Transitions())
            {
                Assert.Equal(current, move.FromStatus);
                Assert.True(RequestLifecycle.CanMove(WireNames.ParseStatus(move.FromStatus!), WireNames.ParseStatus(move.ToStatus!)), what);
                current = move.ToStatus;
            }

            Assert.Equal(current, decision.Request.Status.Name());
        }
    }

    [Theory]
    [MemberData(nameof(FinalStatuses))]
    public void Decide_AnyEventOnFinalRequest_NeverChangesStatus(RequestStatus final)
    {
        foreach (var e in AllEvents())
        {
            var run = DeciderHarness.InFinal(final);

            var decision = run.Apply(e);

            Assert.Equal(final, decision.Request.Status);
            Assert.Empty(decision.Transitions());
            if (e is not WorkDeadLettered)
            {
                Assert.False(decision.Changed, $"{e.GetType().Name} changed a {final} request.");
            }
        }
    }

    [Fact]
    public void Decide_DeadLetterAfterCompletion_StillAlertsStaff()
    {
        // The completion email itself can fail for good after the request is complete.
        var run = DeciderHarness.InFinal(RequestStatus.Completed);

        var decision = run.Apply(new WorkDeadLettered("queue", "req-1:message:completion:1", WorkItem.Message, "smtp 550"));

        Assert.Equal(MessageKind.StaffFailure, decision.SingleMessage().Kind);
        Assert.Single(decision.Request.Progress.Alerts);
    }

    [Theory]
    [InlineData(RequestStatus.Received)]
    [InlineData(RequestStatus.AwaitingVerification)]
    [InlineData(RequestStatus.Discovering)]
    public void Decide_StaffStepsBeforeApproval_AreRefused(RequestStatus status)
    {
        WorkflowEvent[] staffSteps =
        [
            new ApprovalGranted("staff:grace", null),
            new InformationRequested("staff:grace", "Q"),
            new InformationProvided("requester", "A"),
            new RetryRequested("staff:grace"),
        ];
        foreach (var e in staffSteps)
        {
            var run = Reach(status);
            var before = run.Request;

            run.Apply(e).AssertRefused(before);
        }
    }

    [Fact]
    public void Decide_UnknownEventType_Throws()
    {
        var run = DeciderHarness.For();

        Assert.Throws<ArgumentOutOfRangeException>(() => run.Apply(new UnknownEvent("someone")));
    }

    [Fact]
    public void Decide_WholeErasureWithRetry_ProducesExpectedStatusPath()
    {
        var run = DeciderHarness.For();
        var path = new List<(string? From, string? To)>();
        void Step(Decision d) => path.AddRange(d.StatusMoves());

        Step(run.Submit());
        Step(run.Verify());
        Step(run.Found("crm", 5));
        Step(run.DiscoveryFailed("billing"));
        Step(run.Found("logs", 2));
        Step(run.Apply(new InformationRequested("staff:grace", "Which account?")));
        Step(run.Apply(new InformationProvided("requester", "ACC-1")));
        Step(run.Approve());
        Step(run.Executed("crm"));
        Step(run.ExecutionFailed("billing"));
        Step(run.Apply(new RetryRequested("staff:grace")));
        Step(run.Executed("billing"));

        Assert.Equal(
            [
                ("received", "awaiting_verification"),
                ("awaiting_verification", "verified"),
                ("verified", "discovering"),
                ("discovering", "awaiting_approval"),
                ("awaiting_approval", "awaiting_information"),
                ("awaiting_information", "awaiting_approval"),
                ("awaiting_approval", "executing"),
                ("executing", "failed"),
                ("failed", "executing"),
                ("executing", "completed"),
            ],
            path);
        Assert.Equal(StepState.NotRequired, run.Request.Progress.Source("logs")!.Execution);
    }

    private static DeciderHarness Reach(RequestStatus status)
    {
        switch (status)
        {
            case RequestStatus.Received:
                return DeciderHarness.For();
            case RequestStatus.AwaitingVerification:
                var waiting = DeciderHarness.For();
                waiting.Submit();
                return waiting;
            case RequestStatus.Discovering:
                return DeciderHarness.For().Discovering();
            case RequestStatus.AwaitingApproval:
                return DeciderHarness.For().AwaitingApproval(("crm", 3));
            case RequestStatus.AwaitingInformation:
                var asked = DeciderHarness.For().AwaitingApproval(("crm", 3));
                asked.Apply(new InformationRequested("staff:grace", "Q"));
                return asked;
            case RequestStatus.Executing:
                return DeciderHarness.For().Executing(("crm", 3));
            case RequestStatus.Failed:
                var failed = DeciderHarness.For().Executing(("crm", 3));
                failed.ExecutionFailed("crm");
                return failed;
            default:
                return DeciderHarness.InFinal(status);
        }
    }

    private static IEnumerable<WorkflowEvent> AllEvents() =>
    [
        new RequestSubmitted("intake"),
        new IdentityVerified("requester", "email_link", "fresh-nonce"),
        new VerificationResendRequested("requester"),
        new TimerElapsed("timer", TimerKind.VerificationReminder, "1"),
        new TimerElapsed("timer", TimerKind.VerificationExpiry, "1"),
        new TimerElapsed("timer", TimerKind.ApprovalReminder, "1"),
        new TimerElapsed("timer", TimerKind.ApprovalEscalation, "1"),
        new TimerElapsed("timer", TimerKind.DeadlineReminder, "7d@2026-10-01"),
        new TimerElapsed("timer", TimerKind.Overdue, "@2026-10-01"),
        new SourceDiscovered("worker", "crm", 1, new DiscoveryFindings(2, ["contact"], false)),
        new SourceDiscoveryFailed("worker", "crm", 1, "timeout"),
        new ApprovalGranted("staff:grace", null),
        new RequestRejected("staff:grace", RejectionReason.Other, null),
        new InformationRequested("staff:grace", "Q"),
        new InformationProvided("requester", "A"),
        new SourceExecuted("worker", "crm", 1, ExecutionOutcome.Nothing),
        new SourceExecutionFailed("worker", "crm", 1, "boom"),
        new DeadlineExtended("staff:grace", "complex"),
        new RetryRequested("staff:grace"),
        new WorkDeadLettered("queue", "req-1:message:completion:1", WorkItem.Message, "timeout"),
    ];

    private sealed record UnknownEvent(string Actor) : WorkflowEvent(Actor);
}
