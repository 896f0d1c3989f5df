using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Workflow;

/// <summary>The work a request's decisions owe is kept by the request until it is carried out or given up.</summary>
public sealed class OwedWorkTests
{
    [Fact]
    public void TheWorkADecisionOwes_IsKeptByTheRequest_InTheOrderDecided()
    {
        var run = DeciderHarness.For();

        var decision = run.Submit();

        Assert.NotEmpty(decision.Effects);
        Assert.Equal(decision.Effects.Select(e => e.Id), decision.Request.Progress.Owed.Select(o => o.Id));
        var email = Assert.Single(decision.Request.Progress.Owed, o => o.Kind == WorkItem.Message);
        Assert.Equal(("req-1:message:verification:1", run.Now), (email.Id, email.NotBefore));
        Assert.Equal(new WorkItem(email.Id, "req-1", WorkItem.Message, """{"kind":"verification"}""", run.Now), email.For("req-1"));
    }

    [Fact]
    public void WorkCarriedOut_IsOwedNoMore_AndARepeatChangesNothing()
    {
        var run = DeciderHarness.For();
        run.Submit();
        var owed = Assert.Single(run.Request.Progress.Owed, o => o.Kind == WorkItem.Message);

        var done = run.Apply(new WorkCarriedOut("system:work", owed.Id));

        Assert.True(done.Changed);
        Assert.DoesNotContain(done.Request.Progress.Owed, o => o.Id == owed.Id);
        Assert.Equal([owed.Id], done.Request.Progress.WorkDone);
        Assert.Empty(done.Audit);
        Assert.Empty(done.Effects);
        var before = run.Request;
        run.Apply(new WorkCarriedOut("system:work", owed.Id)).AssertIgnored(before);
        run.Apply(new WorkCarriedOut("system:work", "req-1:message:no-such-email:1")).AssertIgnored(before);
    }

    [Fact]
    public void WorkDecidedAgain_AfterItWasCarriedOut_IsNotOwedTwice()
    {
        // The person's reminder, sent once; the same reminder decided again (a request put back as it stood before the
        // reminder was remembered, as a repeated decision would find it) is an effect again, but not owed again.
        var run = DeciderHarness.For();
        run.Submit();
        var submitted = run.Request;
        run.Now = run.Now.AddDays(3);
        var reminded = run.Timer(TimerKind.VerificationReminder, "1");
        var reminder = Assert.Single(reminded.Request.Progress.Owed, o => o.Id.Contains("verification-reminder", StringComparison.Ordinal));
        run.Apply(new WorkCarriedOut("system:work", reminder.Id));
        var workDone = run.Request.Progress.WorkDone;

        run.Request = submitted with { Progress = submitted.Progress with { Owed = [], WorkDone = workDone } };
        var again = run.Timer(TimerKind.VerificationReminder, "1");

        Assert.Contains(again.Effects, e => e.Id == reminder.Id);
        Assert.DoesNotContain(again.Request.Progress.Owed, o => o.Id == reminder.Id);
    }

    [Fact]
    public void WorkGivenUp_IsOwedNoMore_AndStaffAreAlerted()
    {
        var run = DeciderHarness.For();
        run.Submit();
        var owed = Assert.Single(run.Request.Progress.Owed, o => o.Kind == WorkItem.Message);

        var given = run.Apply(new WorkDeadLettered("system:work-queue", owed.Id, owed.Kind, "TimeoutException (after 3 attempts)"));

        Assert.DoesNotContain(given.Request.Progress.Owed, o => o.Id == owed.Id);
        Assert.Contains(given.Request.Progress.Owed, o => o.Id == "req-1:message:staff-failure:dead-letter-req-1-message-verification-1");
        Assert.Contains(owed.Id, given.Request.Progress.WorkDone);
        Assert.Equal(RequestStatus.AwaitingVerification, given.Request.Status);
    }
}
