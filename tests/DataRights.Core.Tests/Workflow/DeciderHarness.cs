using DataRights.Core.Deadlines;
using DataRights.Core.Requests;
using DataRights.Core.Sources;
using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Workflow;

/// <summary>
/// Drives <see cref="RequestDecider"/> event by event as the engine does: each decision's request
/// is the next call's input, and "now" is an input the test moves by hand.
/// </summary>
internal sealed class DeciderHarness
{
    public DeciderHarness(
        DataSubjectRequest request,
        IReadOnlyList<DataSourceDescriptor>? sources = null,
        WorkflowSettings? settings = null)
    {
        Request = request;
        Now = request.ReceivedAt;
        Sources = sources ?? TestRequests.AllSources;
        Settings = settings ?? new WorkflowSettings();
        Regime = DeadlineRegimes.Default.For(request.Jurisdiction);
    }

    public DataSubjectRequest Request { get; set; }

    public DateTimeOffset Now { get; set; }

    public IReadOnlyList<DataSourceDescriptor> Sources { get; set; }

    public WorkflowSettings Settings { get; set; }

    public DeadlineRegime Regime { get; }

    public DecisionContext Context => new(Now, Regime, TestRequests.Calculator, Settings, Sources);

    public static DeciderHarness For(
        Jurisdiction jurisdiction = Jurisdiction.UK,
        DateTimeOffset? receivedAt = null,
        RequestType type = RequestType.Erasure,
        string? accountReference = null,
        IReadOnlyList<DataSourceDescriptor>? sources = null,
        WorkflowSettings? settings = null) =>
        new(TestRequests.Received(jurisdiction, receivedAt, type, accountReference), sources, settings);

    public Decision Apply(WorkflowEvent e)
    {
        var decision = RequestDecider.Decide(Request, e, Context);
        Request = decision.Request;
        return decision;
    }

    public Decision ApplyAt(DateTimeOffset at, WorkflowEvent e)
    {
        Now = at;
        return Apply(e);
    }

    public void Advance(TimeSpan by) => Now += by;

    public Decision Submit() => Apply(new RequestSubmitted("intake"));

    public Decision Verify(string? nonce = "verify-nonce-1") => Apply(new IdentityVerified("requester", "email_link", nonce));

    public Decision Found(string sourceKey, int records, bool accountMatched = false, int? round = null, IReadOnlyList<string>? matched = null) =>
        Apply(new SourceDiscovered("worker", sourceKey, round ?? Request.Progress.DiscoveryRound,
            new DiscoveryFindings(records, records > 0 ? ["contact", "billing"] : [], accountMatched) { MatchedDataPoints = matched }));

    public Decision DiscoveryFailed(string sourceKey, int? round = null) =>
        Apply(new SourceDiscoveryFailed("worker", sourceKey, round ?? Request.Progress.DiscoveryRound, "timeout"));

    /// <summary>Approves as staff do; a rectification says what to correct, as it must.</summary>
    public Decision Approve(string? nonce = null) => Apply(new ApprovalGranted("staff:grace", "looks right", nonce,
        Request.Type == RequestType.Rectification ? new ActionInstructions { Corrections = [new Correction("name", "Corrected Name")] } : null));

    public Decision Executed(string sourceKey, int? round = null) =>
        Apply(new SourceExecuted("worker", sourceKey, round ?? ExecutionRound(sourceKey), new ExecutionOutcome(3, 0, 0, 0, [])));

    public Decision ExecutionFailed(string sourceKey, int? round = null) =>
        Apply(new SourceExecutionFailed("worker", sourceKey, round ?? ExecutionRound(sourceKey), "connection refused"));

    public Decision Timer(TimerKind kind, string tag) => Apply(new TimerElapsed("timer", kind, tag));

    /// <summary>Submitted and verified on the day of receipt: discovery pending at every source.</summary>
    public DeciderHarness Discovering()
    {
        Submit();
        Verify();
        return this;
    }

    /// <summary>
    /// Discovery answered by every source: the listed sources found that many records, the others
    /// none. Leaves the request awaiting approval, round 1.
    /// </summary>
    public DeciderHarness AwaitingApproval(params (string Key, int Records)[] found)
    {
        Discovering();
        foreach (var source in Sources)
        {
            var records = found.Where(f => f.Key == source.Key).Select(f => f.Records).FirstOrDefault();
            Found(source.Key, records);
        }

        return this;
    }

    /// <summary>Approved with the listed sources holding records: executing those sources.</summary>
    public DeciderHarness Executing(params (string Key, int Records)[] found)
    {
        AwaitingApproval(found);
        Approve();
        return this;
    }

    /// <summary>A request carried to a final status the way the workflow gets there.</summary>
    public static DeciderHarness InFinal(RequestStatus final)
    {
        var run = For();
        run.Submit();
        switch (final)
        {
            case RequestStatus.Expired:
                run.Advance(TimeSpan.FromDays(14));
                run.Timer(TimerKind.VerificationExpiry, "1");
                break;
            case RequestStatus.Rejected:
                run.Apply(new RequestRejected("staff:grace", RejectionReason.Duplicate, null));
                break;
            case RequestStatus.Completed:
                run.Verify();
                run.Found("crm", 0);
                run.Found("billing", 0);
                run.Found("logs", 0);
                run.Approve();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(final), final, "Not a final status.");
        }

        Assert.Equal(final, run.Request.Status);
        return run;
    }

    private int ExecutionRound(string sourceKey) => Request.Progress.Source(sourceKey)?.ExecutionRound ?? 0;
}
