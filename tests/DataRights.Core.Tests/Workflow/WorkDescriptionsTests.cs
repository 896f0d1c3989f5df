using DataRights.Core.Ports;
using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Workflow;

public sealed class WorkDescriptionsTests
{
    [Theory]
    [InlineData("req-1:message:completion:1", WorkItem.Message, "Sending the email telling the person what was done")]
    [InlineData("req-1:message:approval-escalation:1", WorkItem.Message, "Sending the approval request to the fallback approver")]
    [InlineData("req-1:message:staff-failure:dead-letter-req-1-discover-crm-1", WorkItem.Message, "Sending the failure alert to the privacy team")]
    [InlineData("req-1:message:no-such-email:1", WorkItem.Message, "Sending an email")]
    [InlineData("req-1:timer:verification-reminder:1", WorkItem.Timer, "Reminding the person to confirm their request")]
    [InlineData("req-1:timer:answer-overdue:crm-1", WorkItem.Timer, "Ending the wait for a system's answer")]
    [InlineData("req-1:export:build:1-0", WorkItem.Export, "Preparing the person's copy of their data (the download file)")]
    [InlineData("req-1:export:delete:1", WorkItem.Export, "Deleting the person's download file once its link expired")]
    [InlineData("req-1:suppress:1", WorkItem.Suppress, "Adding the person to the list of addresses we must not send marketing to")]
    [InlineData("req-1:unrestrict:crm-1", WorkItem.Unrestrict, "Releasing the person's restricted records")]
    [InlineData("req-1:event:request-completed:1", WorkItem.Event, "Telling the firm's other systems that the request changed")]
    [InlineData("req-1:something:else", "something", "A background step")]
    public void Describe_NamesTheStepInPlainWords(string workItemId, string kind, string expected) =>
        Assert.Equal(expected, WorkDescriptions.Describe(workItemId, kind));

    [Fact]
    public void Describe_EveryEmailAndTimerHasWordsOfItsOwn()
    {
        var emails = Enum.GetValues<MessageKind>().Select(k => WorkDescriptions.Describe($"req-1:message:{Kebab.Of(k)}:1", WorkItem.Message)).ToList();
        var timers = Enum.GetValues<TimerKind>().Select(k => WorkDescriptions.Describe($"req-1:timer:{Kebab.Of(k)}:1", WorkItem.Timer)).ToList();

        Assert.DoesNotContain("Sending an email", emails);
        Assert.DoesNotContain("Acting on a reminder or deadline", timers);
        Assert.Equal(emails.Count, emails.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(timers.Count, timers.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Awaited_EveryEmailAndTimerHasWordsOfItsOwn_WithoutInternalKeys()
    {
        var emails = Enum.GetValues<MessageKind>().Select(k => WorkDescriptions.Awaited($"req-1:message:{Kebab.Of(k)}:1", WorkItem.Message)).ToList();
        var timers = Enum.GetValues<TimerKind>().Select(k => WorkDescriptions.Awaited($"req-1:timer:{Kebab.Of(k)}:1", WorkItem.Timer)).ToList();

        Assert.DoesNotContain("email", emails);
        Assert.DoesNotContain("reminder or deadline", timers);
        Assert.Equal(emails.Count, emails.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(timers.Count, timers.Distinct(StringComparer.Ordinal).Count());
        Assert.All(emails.Concat(timers), words =>
        {
            Assert.False(words.StartsWith("the ", StringComparison.Ordinal), words);
            Assert.DoesNotContain('-', words.Replace("hand-over", string.Empty, StringComparison.Ordinal));
            Assert.DoesNotContain("req-1", words, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Failure_SaysWhatTheStepWasAndKeepsTheErrorAsDetail()
    {
        var alert = new WorkAlert("req-1:export:build:1-0", WorkItem.Export, "TimeoutException: The store did not answer", DateTimeOffset.UnixEpoch);

        Assert.Equal(
            "Preparing the person's copy of their data (the download file) failed after every retry. Technical detail: TimeoutException: The store did not answer",
            WorkDescriptions.Failure(alert));
        Assert.Equal(
            "Sending an email failed after every retry. Technical detail: none recorded.",
            WorkDescriptions.Failure(alert with { WorkItemId = "req-1:message:gone:1", Kind = WorkItem.Message, Error = " " }));
    }
}
