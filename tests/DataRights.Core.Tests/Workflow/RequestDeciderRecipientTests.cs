using DataRights.Core.Requests;
using DataRights.Core.Sources;
using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Workflow;

/// <summary>Art. 19: recipients are told of changes only where a source with recipients changed data.</summary>
public sealed class RequestDeciderRecipientTests
{
    private static readonly DataSourceDescriptor Shared = new("crm", "CRM", SourceAccess.ReadWrite, "eu-west", HasRecipients: true);
    private static readonly DataSourceDescriptor Private = new("billing", "Billing", SourceAccess.ReadWrite, "eu-west");

    [Fact]
    public void Decide_ErasureCompletedWhereASharedSourceChanged_SendsTheRecipientNotice()
    {
        var run = DeciderHarness.For(sources: [Shared, Private]).Executing(("crm", 2), ("billing", 1));
        run.Executed("billing");

        var decision = run.Executed("crm");

        Assert.Contains(decision.Messages(), m => m.Kind == MessageKind.RecipientNotice);
    }

    [Fact]
    public void Decide_ErasureCompletedWhereOnlyUnsharedSourcesChanged_SendsNoRecipientNotice()
    {
        var run = DeciderHarness.For(sources: [Shared, Private]).Executing(("billing", 1));

        var decision = run.Executed("billing");

        Assert.Equal([MessageKind.Completion], decision.Messages().Select(m => m.Kind));
    }

    [Fact]
    public void Decide_AccessCompleted_SendsNoRecipientNotice()
    {
        var run = DeciderHarness.For(type: RequestType.Access, sources: [Shared]).Executing(("crm", 2));
        run.Executed("crm");

        var decision = run.Apply(new ExportBuilt("system:export", 10, 2, 3));

        Assert.DoesNotContain(decision.Messages(), m => m.Kind == MessageKind.RecipientNotice);
    }

    [Fact]
    public void Decide_RecipientsNotifiedTwice_AuditsOnce()
    {
        var run = DeciderHarness.For(sources: [Shared]).Executing(("crm", 2));
        run.Executed("crm");
        run.Apply(new RecipientsNotified("system:recipients", 2, 1));
        var before = run.Request;

        run.Apply(new RecipientsNotified("system:recipients", 2, 1)).AssertIgnored(before);
    }
}
