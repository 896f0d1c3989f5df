using DataRights.Core.Ports;
using DataRights.Core.Workflow;
using DataRights.Host.Durable;

namespace DataRights.Integration.Tests.Durable;

/// <summary>The names a request orchestration's history and status read by.</summary>
public sealed class JourneyStepsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(WorkItem.Message, "SendEmail")]
    [InlineData(WorkItem.Export, "PrepareOrDeleteExport")]
    [InlineData(WorkItem.Suppress, "AddToSuppressionList")]
    [InlineData(WorkItem.Unrestrict, "ReleaseRestrictedRecords")]
    [InlineData(WorkItem.Event, "PublishEvent")]
    [InlineData("something-new", RunWorkItemActivity.Name)]
    public void EachKindOfWork_RunsAsTheActivityNamedForIt(string kind, string activity)
    {
        Assert.Equal(activity, JourneySteps.ActivityFor(kind));
        Assert.Contains(activity, JourneySteps.StepActivities);
    }

    [Fact]
    public void EveryStepActivityName_IsOneKindsOrTheGenericOne_NoneTwice()
    {
        Assert.Equal(JourneySteps.StepActivities.Count, JourneySteps.StepActivities.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(6, JourneySteps.StepActivities.Count);
    }

    [Theory]
    [InlineData(SourceStep.Discover, "SearchSource")]
    [InlineData(SourceStep.Execute, "CarryOutAtSource")]
    public void EachSourceStep_RunsAsTheActivityNamedForIt_NotAsAWorkItem(SourceStep step, string activity)
    {
        // A source's step runs from the request's stage under the name of what it does; those names are no work item's.
        Assert.Equal(activity, JourneySteps.SourceStepActivityFor(step));
        Assert.Contains(activity, JourneySteps.SourceStepActivities);
        Assert.DoesNotContain(activity, JourneySteps.StepActivities);
        Assert.Contains(activity, DurableServiceCollectionExtensions.ActivityNames);
    }

    public static TheoryData<WorkflowEvent, string> Decisions => new()
    {
        { new IdentityVerified("person", "email-link", "n1"), "verified" },
        { new ApprovalGranted("staff:a", null), "approved" },
        { new RequestRejected("staff:a", RejectionReason.ManifestlyUnfounded, "no"), "rejected" },
        { new InformationRequested("staff:a", "Which account?"), "information-asked" },
        { new InformationProvided("person", "The work one."), "information-given" },
        { new SourceDiscoveryFailed("system:crm", "crm", 1, "down"), "source-answered" },
        { new DeadlineExtended("staff:a", "complex"), "deadline-extended" },
        { new RetryRequested("staff:a"), "retry-asked" },
        { new ExportDeleted("system"), JourneySteps.WorkEvent },
    };

    [Theory]
    [MemberData(nameof(Decisions))]
    public void EachDecision_IsAnnouncedByTheEventNamedForIt_WhichTheOrchestrationWaitsFor(WorkflowEvent decided, string name)
    {
        Assert.Equal(name, JourneySteps.EventFor([decided]));
        Assert.Contains(name, JourneySteps.Events);
    }

    [Fact]
    public void ACommitOfSeveralDecisions_IsNamedForTheFirst_AndOfNoneForGenericWork()
    {
        Assert.Equal("approved", JourneySteps.EventFor([new ApprovalGranted("staff:a", null), new DeadlineExtended("staff:a", "complex")]));
        Assert.Equal(JourneySteps.WorkEvent, JourneySteps.EventFor([]));
    }

    [Theory]
    [InlineData("dr_1:timer:verification-reminder:1", WorkItem.Timer, "reminder to the person to confirm their request")]
    [InlineData("dr_1:timer:approval-escalation:2", WorkItem.Timer, "hand-over of the approval to the fallback approver")]
    [InlineData("dr_1:message:approval-request:2", WorkItem.Message, "approval request to the approvers")]
    [InlineData("dr_1:message:no-such-email:2", WorkItem.Message, "email")]
    [InlineData("dr_1:export:delete:1", WorkItem.Export, "deletion of the person's download file")]
    [InlineData("odd", WorkItem.Timer, "reminder or deadline")]
    public void AWaitingItem_IsDescribedInWords(string id, string kind, string words) =>
        Assert.Equal(words, JourneySteps.Describe(new DeliveredWork(id, kind, Now)));
}
