using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Host.Pages;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.Sources;

/// <summary>Erasure of a seeded person across the real demo SQLite databases, with billing's retention honoured.</summary>
public sealed class DemoSourcesErasureTests
{
    [Fact]
    public async Task Erasure_OfASeededPerson_DeletesAndMasksWhatItMayAndKeepsInvoicesWithTheirBasis()
    {
        var (name, email, _) = DemoCrmConnector.Person(2);
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        using (var submitted = await client.PostJsonAsync(new { type = "erasure", email, fullName = name, jurisdiction = "UK" }))
        {
            Assert.True(submitted.IsSuccessStatusCode);
        }

        await factory.DrainAsync();
        await FollowAsync(client, factory.Outbox.Single().PathOfLink("/verify/"), "Yes, this is my request");
        await factory.DrainAsync();
        var approval = factory.Outbox.Single(m => m.To == "approver@example.com");
        Assert.Contains("Customer records (CRM): 1 record", approval.Text, StringComparison.Ordinal);
        Assert.Contains("Billing: 5 records (Invoices, Payment cards, Billing account details)", approval.Text, StringComparison.Ordinal);

        var page = System.Net.WebUtility.HtmlDecode(await client.GetStringAsync(approval.PathOfLink("/approve/")));
        Assert.Contains("What approving will do", page, StringComparison.Ordinal);
        Assert.Contains("Billing: Invoices kept for 7 years from each record's date because UK tax law requires invoices to be kept (we keep them 7 years) (UK GDPR Art. 17(3)(b)), then deleted", page, StringComparison.Ordinal);
        Assert.Contains("Payment cards deleted; Billing account details anonymised (the records stay, without the personal data).", page, StringComparison.Ordinal);

        // Every category the CRM reports has a rule, so the approver reads what happens to each.
        Assert.Contains("Customer records (CRM): Name deleted; Email address deleted; Phone number deleted; Account number deleted.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("no rule is set for it here", page, StringComparison.Ordinal);

        await FollowAsync(client, approval.PathOfLink("/approve/"), "Approve and carry out", ("decision", "approve"));
        await factory.DrainAsync();

        var crm = Path.Combine(factory.DataDirectory, "sources", "crm.db");
        var billing = Path.Combine(factory.DataDirectory, "sources", "billing.db");
        Assert.Equal(0, Database.Scalar(crm, "SELECT COUNT(*) FROM contacts WHERE email = $e", ("$e", email)));
        Assert.Equal(0, Database.Scalar(billing, "SELECT COUNT(*) FROM payment_cards WHERE customer_email = $e", ("$e", email)));
        Assert.Equal(0, Database.Scalar(billing, "SELECT COUNT(*) FROM accounts WHERE email = $e", ("$e", email)));
        Assert.Equal(1, Database.Scalar(billing, "SELECT COUNT(*) FROM accounts WHERE account_id = 'ACC-1002' AND email LIKE 'erased:%' AND full_name = '[erased]'"));
        Assert.Equal(3, Database.Scalar(billing, "SELECT COUNT(*) FROM invoices WHERE customer_email = $e", ("$e", email)));
        Assert.Equal(DemoCrmConnector.SeededPeople - 1, Database.Scalar(billing, "SELECT COUNT(*) FROM payment_cards"));
        var demo = Path.Combine(factory.DataDirectory, "sources");
        Assert.Equal(0, Database.Scalar(Path.Combine(demo, "telephony.db"), "SELECT (SELECT COUNT(*) FROM cdrs WHERE caller_email = $e) + (SELECT COUNT(*) FROM sms WHERE sender_email = $e)", ("$e", email)));
        Assert.Equal(0, Database.Scalar(Path.Combine(demo, "recordings.db"), "SELECT COUNT(*) FROM recordings WHERE customer_email = $e", ("$e", email)));
        Assert.Equal(0, Database.Scalar(Path.Combine(demo, "newsletter.db"), "SELECT COUNT(*) FROM subscribers WHERE email = $e", ("$e", email)));
        Assert.Equal(0, Database.Scalar(Path.Combine(demo, "support.db"), "SELECT COUNT(*) FROM tickets WHERE requester_email = $e", ("$e", email)));
        Assert.Equal(1, Database.Scalar(Path.Combine(demo, "support.db"), "SELECT COUNT(*) FROM tickets WHERE requester_email = '[erased]' AND requester_name = '[erased]'"));
        Assert.Equal(DemoCrmConnector.SeededPeople, Database.Scalar(Path.Combine(demo, "support.db"), "SELECT COUNT(*) FROM tickets"));
        Assert.Equal(DemoCrmConnector.SeededPeople - 1, Database.Scalar(Path.Combine(demo, "telephony.db"), "SELECT COUNT(DISTINCT caller_email) FROM cdrs"));

        var completion = factory.Outbox.Single(m => m.Subject.Contains("is complete", StringComparison.Ordinal));
        Assert.Contains("Billing: deleted 1 record, anonymised 1 record. We kept 3 records (Invoices) because UK tax law requires invoices to be kept (we keep them 7 years) (UK GDPR Art. 17(3)(b)), until ", completion.Text, StringComparison.Ordinal);
        var lastInvoice = DateOnly.Parse(Database.Text(billing, "SELECT MAX(issued_on) FROM invoices WHERE customer_email = $e", ("$e", email))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"until {RequestTexts.LongDate(lastInvoice.AddYears(7))}", completion.Text, StringComparison.Ordinal);

        // A second search finds nothing left to erase: only the retained invoices.
        var again = await factory.Services.GetRequiredService<IDataSourceRegistry>().Connector("billing")!
            .DiscoverAsync(SourceCall.For(new SubjectIdentity(email, name, null)), CancellationToken.None);
        Assert.Equal(["billing.invoice"], again.Categories);

        // The workflow did the same search after erasing, and the trail says what it found.
        Assert.Equal("only retained: billing.invoice", await factory.Stored.ExecutedDetailAsync("billing", "rediscovered"));
        Assert.Equal("nothing left", await factory.Stored.ExecutedDetailAsync("crm", "rediscovered"));
    }

    [Fact]
    public async Task Erasure_ThatLeavesErasableRecords_IsCaughtByTheRecheckAndFailsForStaff()
    {
        var broken = new DataRights.Testing.InMemoryDataSource("crm", "CRM") { EraseLeavesRecords = true };
        broken.Add("kim@example.com", 2);
        using var factory = new DataRightsFactory { Sources = new DataRights.Testing.InMemorySourceRegistry(broken) };
        using var client = factory.CreateClient();
        using (var submitted = await client.PostJsonAsync(new { type = "erasure", email = "kim@example.com", fullName = "Kim Lee", jurisdiction = "UK" }))
        {
            Assert.True(submitted.IsSuccessStatusCode);
        }

        await factory.DrainAsync();
        await FollowAsync(client, factory.Outbox.Single().PathOfLink("/verify/"), "Yes, this is my request");
        await factory.DrainAsync();
        await FollowAsync(client, factory.Outbox.Single(m => m.To == "approver@example.com").PathOfLink("/approve/"), "Approve and carry out", ("decision", "approve"));
        await factory.DrainAsync();

        Assert.Equal(DataRights.Core.Requests.RequestStatus.Failed, (await factory.Stored.SingleRequestAsync()).Status);
        Assert.Contains("a new search still found Contact email, Contact name", factory.Outbox.Single(m => m.To == "privacy-team@example.com").Text, StringComparison.Ordinal);
        Assert.DoesNotContain(factory.Outbox, m => m.Subject.Contains("is complete", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("EU", "(EU GDPR Art. 17(3)(b))")]
    [InlineData("US-CA", "(Cal. Civ. Code §1798.105(d))")]
    public async Task Erasure_OutsideTheUk_CitesTheRequestersLawOnTheApprovalPageInTheCompletionAndInTheTrail(string jurisdiction, string citation)
    {
        var (name, email, _) = DemoCrmConnector.Person(4);
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        using (var submitted = await client.PostJsonAsync(new { type = "erasure", email, fullName = name, jurisdiction }))
        {
            Assert.True(submitted.IsSuccessStatusCode);
        }

        await factory.DrainAsync();

        // California asks two matched details before a deletion (the demo CRM holds the phone and the account).
        await FollowAsync(client, factory.Outbox.Single().PathOfLink("/verify/"), "Yes, this is my request",
            jurisdiction == "US-CA" ? Journeys.DemoPersonProof(4)[..2] : []);
        await factory.DrainAsync();
        var approval = factory.Outbox.Single(m => m.To == "approver@example.com");
        var page = System.Net.WebUtility.HtmlDecode(await client.GetStringAsync(approval.PathOfLink("/approve/")));
        await FollowAsync(client, approval.PathOfLink("/approve/"), "Approve and carry out", ("decision", "approve"));
        await factory.DrainAsync();
        var completion = factory.Outbox.Single(m => m.Subject.Contains("is complete", StringComparison.Ordinal)).Text;

        const string Reason = "UK tax law requires invoices to be kept (we keep them 7 years) ";
        Assert.Contains("Invoices kept for 7 years from each record's date because " + Reason + citation + ", then deleted", page, StringComparison.Ordinal);
        Assert.Contains("We kept 3 records (Invoices) because " + Reason + citation + ", until ", completion, StringComparison.Ordinal);
        Assert.Equal("billing.invoice: " + Reason + citation, await factory.Stored.ExecutedDetailAsync("billing", "retainedBasis"));
        Assert.DoesNotContain("UK GDPR", page, StringComparison.Ordinal);
        Assert.DoesNotContain("UK GDPR", completion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registry_WithAnInvalidConfiguredSource_RefusesToStartNamingTheField()
    {
        var billing = DemoSources.Registrations[1];
        var broken = billing with { Categories = [billing.Categories[0] with { LegalBasis = null }] };
        using var factory = new DataRightsFactory();
        var registry = (SourceRegistry)factory.Services.GetService(typeof(SourceRegistry))!;

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => registry.EnsureValidAsync([broken], "DataRights:Sources:Registered", CancellationToken.None));

        Assert.Contains("categories[0].legalBasis", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registry_ConfiguredCategoryWithoutDisplayName_RefusesToStartNamingTheField()
    {
        var billing = DemoSources.Registrations[1];
        var broken = billing with { Categories = [billing.Categories[0], billing.Categories[1] with { DisplayName = "" }] };
        using var factory = new DataRightsFactory();
        var registry = (SourceRegistry)factory.Services.GetService(typeof(SourceRegistry))!;

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => registry.EnsureValidAsync([broken], "DataRights:Sources:Registered", CancellationToken.None));

        Assert.Contains("DataRights:Sources:Registered:0 (billing): categories[1].displayName: Give the category a display name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registry_SqlQueryWithAnUnknownParameter_IsRefused()
    {
        var billing = DemoSources.Registrations[1];
        var category = billing.Categories[1] with
        {
            Queries = new Dictionary<string, string> { ["discover"] = "SELECT id AS record_key FROM payment_cards WHERE customer_email = $email OR 1 = $anything", ["delete"] = "DELETE FROM payment_cards WHERE id = $record_key" },
        };

        var errors = SourceRegistrationValidator.Validate(billing with { Categories = [category] }, SourceRegistry.ConnectorTypes);

        Assert.Contains("$anything", Assert.Single(errors["categories[0].queries.discover"]), StringComparison.Ordinal);
    }
}
