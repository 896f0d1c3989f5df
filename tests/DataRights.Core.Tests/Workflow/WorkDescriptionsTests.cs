using DataRights.Core.Ports;
using DataRights.Core.Sources;
using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Workflow;

public sealed class WorkDescriptionsTests
{
    private static string Name(string key) => key switch
    {
        "crm" => "Customer records",
        "billing" => "Billing",
        _ => "an unknown system",
    };

    [Theory]
    [InlineData("req-1:discover:crm:1", WorkItem.Discover, "Searching Customer records for the person's data")]
    [InlineData("req-1:execute:billing:2", WorkItem.Execute, "Carrying out the request in Billing")]
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
    [InlineData("req-1:discover", WorkItem.Discover, "Searching a system for the person's data")]
    [InlineData("req-1:something:else", "something", "A background step")]
    public void Describe_NamesTheStepInPlainWords(string workItemId, string kind, string expected) =>
        Assert.Equal(expected, WorkDescriptions.Describe(workItemId, kind, Name));

    [Fact]
    public void Describe_EveryEmailAndTimerHasWordsOfItsOwn()
    {
        var emails = Enum.GetValues<MessageKind>().Select(k => WorkDescriptions.Describe($"req-1:message:{Kebab.Of(k)}:1", WorkItem.Message, Name)).ToList();
        var timers = Enum.GetValues<TimerKind>().Select(k => WorkDescriptions.Describe($"req-1:timer:{Kebab.Of(k)}:1", WorkItem.Timer, Name)).ToList();

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
    public void Failure_NamesTheSourceAsTheRequestKnowsItAndKeepsTheErrorAsDetail()
    {
        var progress = new RequestProgress { Sources = [new SourceProgress { Key = "crm", DisplayName = "Customer records", Access = SourceAccess.ReadWrite }] };
        var alert = new WorkAlert("req-1:discover:crm:1", WorkItem.Discover, "TimeoutException: The source did not answer", DateTimeOffset.UnixEpoch);

        Assert.Equal(
            "Searching Customer records for the person's data failed after every retry. Technical detail: TimeoutException: The source did not answer",
            WorkDescriptions.Failure(alert, progress));
        Assert.Equal(
            "Carrying out the request in one of our systems failed after every retry. Technical detail: none recorded.",
            WorkDescriptions.Failure(alert with { WorkItemId = "req-1:execute:gone:1", Kind = WorkItem.Execute, Error = " " }, progress));
    }
}
