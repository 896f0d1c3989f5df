using System.Net;
using DataRights.Core.Email;
using DataRights.Core.Workflow;
using DataRights.Email.SendGrid;
using DataRights.Host.Email;
using DataRights.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.Workflow;

/// <summary>
/// A step given up after every retry is told to staff in plain words (what it was, then the error as technical
/// detail) in the alert email, on the request's page and in its audit trail: never by the work item's internal id.
/// </summary>
public sealed class GivenUpWorkTests
{
    [Fact]
    public async Task RefusedVerificationEmail_IsGivenUp_AndStaffReadWhatFailedInPlainWords()
    {
        using var factory = new DataRightsFactory
        {
            // The email provider refuses the verification email for good (as SendGrid does a 400): no retry can help.
            ConfigureServices = services => services.AddSingleton<IEmailSender>(sp =>
                CopyKeepingEmailSender.Around(new RefusingSender(sp.GetRequiredService<FileMailOutbox>(), MessageKind.Verification), sp)),
        };
        using var client = factory.CreateClient();
        var id = await SubmitAsync(client, factory.Services);
        await factory.DrainAsync();

        Assert.DoesNotContain(factory.Outbox, m => m.Subject.StartsWith("Please confirm", StringComparison.Ordinal));
        const string failed = "Sending the email asking the person to confirm their request failed after every retry. Technical detail: PermanentEmailException: The email provider refused the message.";
        var alert = Assert.Single(factory.Outbox, m => m.To == "privacy-team@example.com" && m.Subject.StartsWith("Needs attention", StringComparison.Ordinal));
        Assert.Contains(failed, alert.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(id + ":", alert.Text, StringComparison.Ordinal);

        using var console = StaffConsole.ConsoleClient.Create(factory);
        await StaffConsole.ConsoleClient.SignInAsync(console);
        var page = WebUtility.HtmlDecode(await console.GetStringAsync($"/staff/requests/{id}"));
        var failures = page[page.IndexOf("<h2>Failures</h2>", StringComparison.Ordinal)..];
        Assert.Contains(failed + "</li>", failures, StringComparison.Ordinal);

        // The trail says the same, once, and names no work item either.
        Assert.Equal(2, CountOf(page, failed));
        Assert.DoesNotContain(id + ":message:", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApprovalRequest_RefusedForGoodForOneOfThreeApprovers_StillGoesToTheOthers_AndStaffAreAlerted()
    {
        // The second approver's address is one the provider refuses (mistyped): the third must still be asked.
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?>
        {
            ["DataRights:Workflow:Approvers:0"] = "a@example.com",
            ["DataRights:Workflow:Approvers:1"] = "b@example.com",
            ["DataRights:Workflow:Approvers:2"] = "c@example.com",
        })
        {
            ConfigureServices = services => services.AddSingleton<IEmailSender>(sp =>
                CopyKeepingEmailSender.Around(new RefusingAddress(sp.GetRequiredService<FileMailOutbox>(), "b@example.com"), sp)),
        };
        using var client = factory.CreateClient();

        await SubmitAndVerifyAsync(factory, client);

        Assert.Single(factory.Outbox, m => m.To == "a@example.com" && m.Subject.StartsWith("Approval needed", StringComparison.Ordinal));
        Assert.Single(factory.Outbox, m => m.To == "c@example.com" && m.Subject.StartsWith("Approval needed", StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Outbox, m => m.To == "b@example.com");
        Assert.Single(factory.Outbox, m => m.To == "privacy-team@example.com" && m.Subject.StartsWith("Needs attention", StringComparison.Ordinal));
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private sealed class RefusingAddress(IEmailSender inner, string refused) : IEmailSender
    {
        public Task<EmailSendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken) =>
            message.To == refused
                ? throw new PermanentEmailException("The email provider refused the message: the address does not exist.")
                : inner.SendAsync(message, cancellationToken);
    }

    private sealed class RefusingSender(IEmailSender inner, MessageKind refused) : IEmailSender
    {
        public Task<EmailSendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken) =>
            message.Kind == refused
                ? throw new PermanentEmailException("The email provider refused the message.")
                : inner.SendAsync(message, cancellationToken);
    }
}
