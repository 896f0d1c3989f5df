using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Workflow;

public sealed class WorkflowJsonTests
{
    [Fact]
    public void Deserialize_ProgressAfterEventfulRun_RoundTripsEveryField()
    {
        var run = DeciderHarness.For().Discovering();
        run.Found("crm", 7, accountMatched: true);
        run.DiscoveryFailed("billing");
        run.Found("logs", 2);
        run.Apply(new InformationRequested("staff:grace", "Which account?", "info-link"));
        run.Apply(new InformationProvided("requester", "ACC-1"));
        run.Apply(new DeadlineExtended("staff:grace", "complex"));
        run.Approve("approve-link");
        run.ExecutionFailed("crm");
        run.Apply(new WorkDeadLettered("queue", "req-1:export:build:1-0", WorkItem.Export, "timeout"));
        var progress = run.Request.Progress;

        var json = WorkflowJson.Serialize(progress);
        var back = WorkflowJson.Deserialize<RequestProgress>(json);

        Assert.Equal(json, WorkflowJson.Serialize(back));
        Assert.Equal(progress.VerifiedAt, back.VerifiedAt);
        Assert.Equal(progress.Pauses, back.Pauses);
        Assert.Equal(progress.Extension, back.Extension);
        Assert.Equal(progress.UsedLinkNonces, back.UsedLinkNonces);
        Assert.Equal(progress.Alerts, back.Alerts);
        Assert.Equal(progress.Approval, back.Approval);
        Assert.Equal(
            progress.Sources.Select(s => (s.Key, s.Access, s.Discovery, s.Execution, s.ExecutionRound, s.DiscoveryError, s.Findings?.RecordCount)),
            back.Sources.Select(s => (s.Key, s.Access, s.Discovery, s.Execution, s.ExecutionRound, s.DiscoveryError, s.Findings?.RecordCount)));
    }

    [Fact]
    public void Serialize_Progress_WritesEnumsAsSnakeCaseStrings()
    {
        var run = DeciderHarness.For().AwaitingApproval(("logs", 2));
        run.Approve();

        var json = WorkflowJson.Serialize(run.Request.Progress);

        Assert.Contains("\"execution\":\"not_required\"", json, StringComparison.Ordinal);
        Assert.Contains("\"access\":\"read_write\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_EveryRejectionReason_MatchesItsWireName()
    {
        foreach (var reason in Enum.GetValues<RejectionReason>())
        {
            Assert.Equal($"\"{reason.Name()}\"", WorkflowJson.Serialize(reason));
        }
    }
}
