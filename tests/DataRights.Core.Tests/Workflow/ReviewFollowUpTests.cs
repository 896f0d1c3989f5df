using DataRights.Core.Requests;
using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Workflow;

/// <summary>Cases found in review: pauses after an extension, an overdue timer lost in a pause, auto-approval and the account check.</summary>
public sealed class ReviewFollowUpTests
{
    [Fact]
    public void DueDate_PauseAfterAnExtension_MovesTheExtendedDate()
    {
        var h = DeciderHarness.For(type: RequestType.Access).AwaitingApproval(("crm", 2));
        var extended = h.Apply(new DeadlineExtended("staff:grace", "Complex request")).Request.Deadline.DueOn;
        h.Advance(TimeSpan.FromDays(2));
        h.Apply(new InformationRequested("staff:grace", "Which account?"));

        h.Advance(TimeSpan.FromDays(10));
        var decision = h.Apply(new InformationProvided("requester", "The business one."));

        Assert.True(decision.Request.Deadline.DueOn >= extended.AddDays(10), $"{decision.Request.Deadline.DueOn} should be at least 10 days after {extended}");
        Assert.True(decision.Request.Deadline.DueOn <= extended.AddDays(13));
    }

    [Fact]
    public void Question_AskedTheDayAfterTheDueDate_StopsNoClock_SoTheOverdueTimerFlagsItOnce()
    {
        // Asked before the overdue timer of the morning after the due date, but after the period ended: no pause (even on a
        // request for access, whose clock a question stops while the period runs), so the timer flags the request overdue
        // as usual, and the answer changes neither that nor the date.
        var h = DeciderHarness.For(type: RequestType.Access).AwaitingApproval(("crm", 2));
        var due = h.Request.Deadline.DueOn;
        h.Now = new DateTimeOffset(due.AddDays(1).ToDateTime(new TimeOnly(7, 30)), TimeSpan.Zero);
        h.Apply(new InformationRequested("staff:grace", "Which account?"));
        h.Now = h.Now.AddMinutes(30);
        var overdue = h.Timer(TimerKind.Overdue, "@" + due.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        h.Now = h.Now.AddHours(1);

        var resumed = h.Apply(new InformationProvided("requester", "The business one."));

        Assert.Null(overdue.Ignored);
        Assert.Single(overdue.Effects.OfType<SendMessage>(), m => m.Kind == MessageKind.StaffOverdue);
        Assert.Equal((due, true), (resumed.Request.Deadline.DueOn, resumed.Request.Progress.Overdue));
        Assert.DoesNotContain(resumed.Effects.OfType<SendMessage>(), m => m.Kind == MessageKind.StaffOverdue);
    }

    [Fact]
    public void AutoApprove_GoesStraightToExecutionButStillHonoursTheAccountCheck()
    {
        var plain = DeciderHarness.For();
        plain.Settings = new WorkflowSettings { AutoApprove = true };
        var auto = plain.AwaitingApprovalOrExecuting();

        var strict = DeciderHarness.For();
        strict.Settings = new WorkflowSettings { AutoApprove = true, RequireAccountMatch = true };
        strict.Request = strict.Request with { AccountReference = "ACC-1" };
        var held = strict.AwaitingApprovalOrExecuting();

        Assert.Equal(RequestStatus.Executing, auto.Status);
        Assert.Equal("system:auto-approve", auto.Progress.Approval?.By);
        Assert.Equal(RequestStatus.AwaitingApproval, held.Status);
    }
}

internal static class HarnessExtensions
{
    /// <summary>Submits, verifies and lets every source find records, whatever the approval setting does next.</summary>
    public static DataSubjectRequest AwaitingApprovalOrExecuting(this DeciderHarness h)
    {
        h.Submit();
        h.Verify();
        foreach (var source in h.Sources)
        {
            h.Found(source.Key, 2);
        }

        return h.Request;
    }
}
