using DataRights.Core.Requests;
using DataRights.Core.Sources;
using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Workflow;

/// <summary>
/// Requests built by hand in a later state without <see cref="RequestProgress.VerifiedAt"/>: every
/// path into discovery, approval and execution must stop rather than carry on for an unverified person.
/// Each case has a control with VerifiedAt set, so the guard is what makes it throw.
/// </summary>
public sealed class RequestDeciderIdentityGuardTests
{
    private static readonly DateTimeOffset VerifiedAt = TestRequests.ReceivedAt.AddHours(1);

    public static TheoryData<string> Cases() =>
    [
        "last source discovered",
        "last source discovery failed",
        "approval granted",
        "information provided",
        "retry requested",
        "last source executed",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decide_UnverifiedRequestOnPathIntoDiscoveryApprovalOrExecution_Throws(string name)
    {
        var (request, e) = Case(name, verifiedAt: null);
        var context = new DeciderHarness(request).Context;

        var exception = Assert.Throws<InvalidOperationException>(() => RequestDecider.Decide(request, e, context));

        Assert.Contains("identity is not verified", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decide_SameCaseWithVerifiedIdentity_MovesOn(string name)
    {
        var (request, e) = Case(name, VerifiedAt);

        var decision = new DeciderHarness(request).Apply(e);

        Assert.True(decision.Changed);
        Assert.NotEqual(request.Status, decision.Request.Status);
    }

    [Fact]
    public void Decide_UnverifiedDiscoveringRequestWithOtherSourcesPending_RecordsResultWithoutMoving()
    {
        var request = InState(RequestStatus.Discovering, null, Pending("crm"), Pending("billing"));

        var decision = new DeciderHarness(request).Apply(Found("crm"));

        Assert.Equal(RequestStatus.Discovering, decision.Request.Status);
        Assert.Empty(decision.Transitions());
    }

    private static (DataSubjectRequest Request, WorkflowEvent Event) Case(string name, DateTimeOffset? verifiedAt) => name switch
    {
        "last source discovered" => (InState(RequestStatus.Discovering, verifiedAt, Pending("crm")), Found("crm")),
        "last source discovery failed" => (InState(RequestStatus.Discovering, verifiedAt, Pending("crm")), new SourceDiscoveryFailed("worker", "crm", 1, "timeout")),
        "approval granted" => (InState(RequestStatus.AwaitingApproval, verifiedAt, Discovered("crm")), new ApprovalGranted("staff:grace", null)),
        "information provided" => (InState(RequestStatus.AwaitingInformation, verifiedAt, Discovered("crm")), new InformationProvided("requester", "ACC-1")),
        "retry requested" => (InState(RequestStatus.Failed, verifiedAt, Discovered("crm") with { Execution = StepState.Failed, ExecutionRound = 1 }), new RetryRequested("staff:grace")),
        "last source executed" => (InState(RequestStatus.Executing, verifiedAt, Discovered("crm") with { Execution = StepState.Pending, ExecutionRound = 1 }), new SourceExecuted("worker", "crm", 1, ExecutionOutcome.Nothing)),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown case."),
    };

    private static DataSubjectRequest InState(RequestStatus status, DateTimeOffset? verifiedAt, params SourceProgress[] sources)
    {
        var request = TestRequests.Received();
        return request with
        {
            Status = status,
            Progress = request.Progress with
            {
                VerifiedAt = verifiedAt,
                DiscoveryRound = 1,
                ApprovalRound = status is RequestStatus.Discovering ? 0 : 1,
                Sources = sources,
            },
        };
    }

    private static SourceDiscovered Found(string key) => new("worker", key, 1, new DiscoveryFindings(4, ["contact"], false));

    private static SourceProgress Pending(string key) =>
        new() { Key = key, DisplayName = key, Access = SourceAccess.ReadWrite, Discovery = StepState.Pending };

    private static SourceProgress Discovered(string key) =>
        Pending(key) with { Discovery = StepState.Succeeded, Findings = new DiscoveryFindings(4, ["contact"], false) };
}
