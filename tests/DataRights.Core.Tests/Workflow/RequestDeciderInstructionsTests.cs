using DataRights.Core.Requests;
using DataRights.Core.Sources;
using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Workflow;

/// <summary>Approvals that say what a change-type request means: corrections, the scope of an objection.</summary>
public sealed class RequestDeciderInstructionsTests
{
    [Fact]
    public void Decide_RectificationApprovedWithoutCorrections_IsRefused()
    {
        var run = DeciderHarness.For(type: RequestType.Rectification).AwaitingApproval(("crm", 2));
        var before = run.Request;

        run.Apply(new ApprovalGranted("staff:grace", null)).AssertRefused(before);
    }

    [Fact]
    public void Decide_RectificationApprovedWithCorrections_KeepsThemOnTheApprovalAndAuditsTheFields()
    {
        var run = DeciderHarness.For(type: RequestType.Rectification).AwaitingApproval(("crm", 2));
        var instructions = new ActionInstructions { Corrections = [new Correction("name", "Tomas Smyth"), new Correction("phone", "+44 7700 900123")] };

        var decision = run.Apply(new ApprovalGranted("staff:grace", null, null, instructions));

        Assert.Equal(RequestStatus.Executing, decision.Request.Status);
        Assert.Equal(instructions.Corrections, decision.Request.Progress.Approval!.Instructions!.Corrections);
        Assert.Equal("name,phone", decision.SingleAudit("approval.granted").Details!["corrections"]);
    }

    [Theory]
    [InlineData("shoe_size", "9")]
    [InlineData("email", "not an email")]
    [InlineData("name", "")]
    public void Decide_ApprovalWithABadCorrection_IsRefused(string field, string value)
    {
        var run = DeciderHarness.For(type: RequestType.Rectification).AwaitingApproval(("crm", 2));
        var before = run.Request;

        run.Apply(new ApprovalGranted("staff:grace", null, null, new ActionInstructions { Corrections = [new Correction(field, value)] })).AssertRefused(before);
    }

    [Fact]
    public void Decide_ObjectionApprovedWithoutScope_IsTakenAsDirectMarketingAndAddsTheSuppressionEntry()
    {
        var run = DeciderHarness.For(type: RequestType.Objection).AwaitingApproval(("crm", 2));

        var decision = run.Apply(new ApprovalGranted("staff:grace", null));

        Assert.Equal(ObjectionScope.DirectMarketing, decision.Request.Progress.Approval!.Instructions!.Objection);
        Assert.Single(decision.Effects.OfType<AddSuppression>());
    }

    [Fact]
    public void Decide_ObjectionToOtherProcessing_AddsNoSuppressionEntry()
    {
        var run = DeciderHarness.For(type: RequestType.Objection).AwaitingApproval(("crm", 2));

        var decision = run.Apply(new ApprovalGranted("staff:grace", null, null, new ActionInstructions { Objection = ObjectionScope.OtherProcessing }));

        Assert.Empty(decision.Effects.OfType<AddSuppression>());
        Assert.Equal("other-processing", decision.SingleAudit("approval.granted").Details!["objection"]);
    }

    [Theory]
    [InlineData(RequestType.Access)]
    [InlineData(RequestType.Erasure)]
    [InlineData(RequestType.Restriction)]
    [InlineData(RequestType.Rectification)]
    public void Decide_ApprovalOfAnotherKindOfRequestWithAnObjectionsScope_IsRefused_AndAddsNoSuppressionEntry(RequestType type)
    {
        // The scope of an objection to direct marketing adds the person to the suppression list, which no erasure removes.
        var run = DeciderHarness.For(type: type).AwaitingApproval(("crm", 2));
        var before = run.Request;
        var instructions = new ActionInstructions
        {
            Objection = ObjectionScope.DirectMarketing,
            Corrections = type == RequestType.Rectification ? [new Correction("name", "Tomas Smyth")] : [],
        };

        var decision = run.Apply(new ApprovalGranted("staff:grace", null, null, instructions));

        decision.AssertRefused(before);
        Assert.StartsWith("objection: only an objection", decision.Refused, StringComparison.Ordinal);
        Assert.Empty(decision.Effects.OfType<AddSuppression>());
    }

    [Theory]
    [InlineData(RequestType.Access)]
    [InlineData(RequestType.Erasure)]
    [InlineData(RequestType.Objection)]
    public void Decide_ApprovalOfAnotherKindOfRequestWithCorrections_IsRefused(RequestType type)
    {
        var run = DeciderHarness.For(type: type).AwaitingApproval(("crm", 2));
        var before = run.Request;

        var decision = run.Apply(new ApprovalGranted("staff:grace", null, null, new ActionInstructions { Corrections = [new Correction("name", "Tomas Smyth")] }));

        decision.AssertRefused(before);
        Assert.StartsWith("corrections: only a request to correct data", decision.Refused, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_SuppressionRecordedTwice_AuditsOnce()
    {
        var run = DeciderHarness.For(type: RequestType.Objection).Executing(("crm", 2));
        run.Apply(new SuppressionRecorded("system:suppression", true));
        var before = run.Request;

        run.Apply(new SuppressionRecorded("system:suppression", false)).AssertIgnored(before);
    }
}
