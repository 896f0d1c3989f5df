using DataRights.Core.Events;
using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Workflow;

/// <summary>The changes the decider asks to publish to the firm's other systems, with ids that repeat when the decision does.</summary>
public sealed class RequestDeciderEventTests
{
    [Fact]
    public void Decide_ErasureFromSubmissionToCompletion_PublishesReceivedVerifiedApprovedCompleted()
    {
        var run = DeciderHarness.For();
        var decisions = new List<Decision> { run.Submit(), run.Verify() };
        decisions.AddRange(run.Sources.Select(s => run.Found(s.Key, s.Key == "crm" ? 3 : 0)));
        decisions.Add(run.Approve());
        decisions.Add(run.Executed("crm"));

        var events = decisions.SelectMany(d => d.Effects.OfType<PublishEvent>()).ToList();

        Assert.Equal(["req-1:event:received:1", "req-1:event:verified:1", "req-1:event:approved:1", "req-1:event:completed:1"], events.Select(e => e.Id));
        Assert.Equal(["received", "verified", "approved", "completed"], events.Select(e => e.Data.Event));
        Assert.Equal(["received", "verified", "executing", "completed"], events.Select(e => e.Data.Status));
        Assert.Equal([null, "awaiting_verification", "awaiting_approval", "executing"], events.Select(e => e.Data.PreviousStatus));
        Assert.All(events, e =>
        {
            Assert.Equal("req-1", e.Data.RequestId);
            Assert.Equal(run.Request.Reference, e.Data.Reference);
            Assert.Equal("UK", e.Data.Jurisdiction);
            Assert.Equal("erasure", e.Data.RequestType);
        });
    }

    [Fact]
    public void Decide_SameEventDecidedAgain_AsksForTheSameEvent()
    {
        var first = DeciderHarness.For().AwaitingApproval(("crm", 2));
        var second = DeciderHarness.For().AwaitingApproval(("crm", 2));

        Assert.Equal(first.Approve().Effects.OfType<PublishEvent>(), second.Approve().Effects.OfType<PublishEvent>());
    }

    [Fact]
    public void Decide_VerificationExpiry_PublishesExpired()
    {
        var run = DeciderHarness.For();
        run.Submit();
        run.Advance(TimeSpan.FromDays(14));

        var e = Assert.Single(run.Timer(TimerKind.VerificationExpiry, "1").Effects.OfType<PublishEvent>());

        Assert.Equal(("req-1:event:expired:1", "expired", "awaiting_verification"), (e.Id, e.Data.Status, e.Data.PreviousStatus));
    }

    [Fact]
    public void Decide_Rejection_PublishesRejectedWithoutItsNote()
    {
        var run = DeciderHarness.For();
        run.Submit();

        var e = Assert.Single(run.Apply(new RequestRejected("staff:grace", RejectionReason.Other, "Jane Doe asked us by phone")).Effects.OfType<PublishEvent>());

        Assert.Equal("req-1:event:rejected:1", e.Id);
        Assert.DoesNotContain("Jane", WorkflowJson.Serialize(e.Data), StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_OverdueTimer_PublishesOverdueForThatDueDate()
    {
        var run = DeciderHarness.For().Discovering();
        var due = run.Request.Deadline.DueOn;
        run.Now = new DateTimeOffset(due.AddDays(1).ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero);
        var tag = "@" + due.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var decision = run.Timer(TimerKind.Overdue, tag);

        var e = Assert.Single(decision.Effects.OfType<PublishEvent>());
        Assert.Equal($"req-1:event:overdue:{tag}", e.Id);
        Assert.True(e.Data.Overdue);
        Assert.Equal(due, e.Data.DueOn);
        Assert.Equal("org.datarights.request.overdue", RequestEventNames.TypeOf(e.Data.Event));
    }

    [Fact]
    public void Decide_StepsBetween_PublishNothing()
    {
        var run = DeciderHarness.For().Discovering();

        var decision = run.Found("crm", 1);

        Assert.Empty(decision.Effects.OfType<PublishEvent>());
    }
}
