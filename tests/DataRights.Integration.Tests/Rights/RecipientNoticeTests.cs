using DataRights.Host.Sources;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Integration.Tests.Workflow;

namespace DataRights.Integration.Tests.Rights;

/// <summary>Art. 19: recipients of data that was erased are told, and the person is told who they are.</summary>
public sealed class RecipientNoticeTests
{
    [Fact]
    public async Task Erasure_TellsEachRecipientWithAnAddressListsTheOthersForStaffAndTellsThePersonWhoTheyAre()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var (name, email, _) = DemoCrmConnector.Person(51);
        await Journeys.SubmitAndVerifyAsync(factory, client, "erasure", name, email);
        await WorkflowEndToEndTests.FollowAsync(client, factory.Outbox.Single(m => m.To == "approver@example.com").PathOfLink("/approve/"), "Approve and carry out", ("decision", "approve"));
        await factory.DrainAsync();

        var crmHost = factory.Outbox.Single(m => m.To == "privacy@crm-host.example");
        Assert.Contains("personal data erased", crmHost.Subject, StringComparison.Ordinal);
        Assert.Contains("Article 19", crmHost.Text, StringComparison.Ordinal);
        Assert.Contains(email, crmHost.Text, StringComparison.Ordinal);
        Assert.Contains("Customer records (CRM)", crmHost.Text, StringComparison.Ordinal);
        Assert.Contains("Billing", factory.Outbox.Single(m => m.To == "dpo@payments.example").Text, StringComparison.Ordinal);
        var byHand = factory.Outbox.Single(m => m.Subject.StartsWith("Tell recipients by hand", StringComparison.Ordinal));
        Assert.Equal("privacy-team@example.com", byHand.To);
        Assert.Contains("Our accountants, who audit the accounts (data from Billing)", byHand.Text, StringComparison.Ordinal);
        var completion = factory.Outbox.Single(m => m.To == email && m.Subject.Contains("is complete", StringComparison.Ordinal));
        Assert.Contains(
            "We shared this data with others, who are told of this change: we have told our payment processor, for card payments; "
            + "our privacy team will tell our accountants, who audit the accounts.",
            completion.Text.ReplaceLineEndings(" "), StringComparison.Ordinal);
        Assert.Equal("2", Assert.Single(await factory.Stored.AuditAsync("recipients.notified")).Detail("byEmail"));

        // Its step delivered twice (a retry), nobody is told twice.
        var before = factory.Outbox.Count;
        Assert.Equal((1, 1), await factory.RunStepsAgainAsync(id => StepRedelivery.IsEmail(id) && id.Contains("recipient-notice", StringComparison.Ordinal)));
        Assert.Equal(before, factory.Outbox.Count);
    }
}
