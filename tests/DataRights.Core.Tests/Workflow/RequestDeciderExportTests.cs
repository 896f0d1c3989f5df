using DataRights.Core.Requests;
using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Workflow;

/// <summary>Access and portability: every source copies, then the package is built, offered, downloaded once, and deleted.</summary>
public sealed class RequestDeciderExportTests
{
    [Theory]
    [InlineData(RequestType.Access)]
    [InlineData(RequestType.Portability)]
    public void Decide_LastSourceCopied_BuildsTheExportInsteadOfCompleting(RequestType type)
    {
        var run = DeciderHarness.For(type: type).Executing(("crm", 2));

        var decision = run.Executed("crm");

        Assert.Equal(RequestStatus.Executing, decision.Request.Status);
        Assert.Single(decision.Effects.OfType<BuildExport>());
        Assert.Empty(decision.Messages());
    }

    [Fact]
    public void Decide_ExportBuilt_CompletesOffersTheLinkAndSchedulesDeletionAtExpiry()
    {
        var run = DeciderHarness.For(type: RequestType.Access).Executing(("crm", 2));
        run.Executed("crm");

        var decision = run.Apply(new ExportBuilt("system:export", 2048, 2, 3));

        Assert.Equal(RequestStatus.Completed, decision.Request.Status);
        Assert.Equal(MessageKind.ExportReady, decision.SingleMessage().Kind);
        var delete = Assert.Single(decision.Effects.OfType<DeleteExport>());
        Assert.Equal(run.Now + TimeSpan.FromDays(7), delete.NotBefore);
        Assert.Equal(run.Now + TimeSpan.FromDays(7), decision.Request.Progress.Export!.ExpiresAt);
    }

    [Fact]
    public void Decide_DownloadWithTheSameLinkTwice_SecondIsRefused()
    {
        var run = DeciderHarness.For(type: RequestType.Access).Executing(("crm", 2));
        run.Executed("crm");
        run.Apply(new ExportBuilt("system:export", 2048, 2, 3));
        Assert.True(run.Apply(new ExportDownloaded("requester", "nonce-1")).Changed);
        var before = run.Request;

        run.Apply(new ExportDownloaded("requester", "nonce-1")).AssertRefused(before);
        Assert.Equal(1, before.Progress.Export!.Downloads);
    }

    [Fact]
    public void Decide_DownloadAfterExpiryOrDeletion_IsRefused()
    {
        var run = DeciderHarness.For(type: RequestType.Access).Executing(("crm", 2));
        run.Executed("crm");
        run.Apply(new ExportBuilt("system:export", 2048, 2, 3));
        run.Advance(TimeSpan.FromDays(7));
        var before = run.Request;

        run.Apply(new ExportDownloaded("requester", "nonce-1")).AssertRefused(before);
        run.Apply(new ExportDeleted("system:export"));
        Assert.NotNull(run.Request.Progress.Export!.DeletedAt);
    }

    [Fact]
    public void Decide_ExportCopiesMissing_MakesThoseCopiesAgain_ThenBuildsUnderANewId()
    {
        var run = DeciderHarness.For(type: RequestType.Access).Executing(("crm", 2), ("billing", 3));
        run.Executed("crm");
        var first = Assert.Single(run.Executed("billing").Effects.OfType<BuildExport>());

        var again = run.Apply(new ExportCopiesMissing("system:export", ["crm", "no-such-source"]));

        Assert.Equal(RequestStatus.Executing, again.Request.Status);
        Assert.Equal((StepState.Pending, 2), (again.Request.Progress.Source("crm")!.Execution, again.Request.Progress.Source("crm")!.ExecutionRound));
        Assert.Equal((StepState.Succeeded, 1), (again.Request.Progress.Source("billing")!.Execution, again.Request.Progress.Source("billing")!.ExecutionRound));
        Assert.Equal(["req-1:execute:crm:2"], again.Executions().Select(e => e.IdFor("req-1")));
        Assert.Equal("crm", again.SingleAudit("export.copies_missing").Details!["sources"]);
        Assert.NotEqual(first.Id, Assert.Single(run.Executed("crm", round: 2).Effects.OfType<BuildExport>()).Id);
    }

    [Fact]
    public void Decide_ExportCopiesMissing_OnceThePackageIsRecorded_IsIgnored()
    {
        var run = DeciderHarness.For(type: RequestType.Access).Executing(("crm", 2));
        run.Executed("crm");
        run.Apply(new ExportBuilt("system:export", 2048, 2, 3));
        var before = run.Request;

        run.Apply(new ExportCopiesMissing("system:export", ["crm"])).AssertIgnored(before);
    }

    [Fact]
    public void Decide_ExportBuildDeadLettered_FailsTheRequestAndARetryBuildsAgainUnderANewId()
    {
        var run = DeciderHarness.For(type: RequestType.Access).Executing(("crm", 2));
        var first = Assert.Single(run.Executed("crm").Effects.OfType<BuildExport>());

        var failed = run.Apply(new WorkDeadLettered("worker", first.Id, "export", "IOException"));
        var retried = run.Apply(new RetryRequested("staff:grace"));

        Assert.Equal(RequestStatus.Failed, failed.Request.Status);
        Assert.NotEqual(first.Id, Assert.Single(retried.Effects.OfType<BuildExport>()).Id);
    }
}
