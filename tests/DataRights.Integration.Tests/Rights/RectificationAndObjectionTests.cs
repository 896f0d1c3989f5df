using System.Net;
using System.Net.Http.Json;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Integration.Tests.Workflow;

namespace DataRights.Integration.Tests.Rights;

/// <summary>Rectification and objection end to end against the demo databases.</summary>
public sealed class RectificationAndObjectionTests
{
    [Fact]
    public async Task Rectification_OfADetailOnlySomeSystemsHold_TellsTheRecipientsOfThoseSystemsOnly()
    {
        // The CRM holds the phone number; Billing does not, and says so: nothing changed there, so Billing's recipients
        // (the payment processor) have nothing to be told, and the person is not told they were.
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var (name, email, _) = DemoCrmConnector.Person(32);
        var approval = await SubmitVerifyAsync(factory, client, "rectification", name, email, "My phone number is wrong.");

        await WorkflowEndToEndTests.FollowAsync(client, approval, "Approve and carry out", ("decision", "approve"), ("correct-phone", "+44 7700 900999"));
        await factory.DrainAsync();

        var lines = factory.Outbox.Single(m => m.Subject.Contains("is complete", StringComparison.Ordinal)).Text.Split('\n');
        var crm = Assert.Single(lines, l => l.StartsWith("- Customer records (CRM):", StringComparison.Ordinal));
        var billing = Assert.Single(lines, l => l.StartsWith("- Billing:", StringComparison.Ordinal));
        Assert.Contains("corrected 1 record", crm, StringComparison.Ordinal);
        Assert.Contains("have told them of this change", crm, StringComparison.Ordinal);
        Assert.Contains("does not hold your phone number,", billing, StringComparison.Ordinal);
        Assert.DoesNotContain("told", billing, StringComparison.Ordinal);
        Assert.DoesNotContain(factory.Outbox, m => m.To == "dpo@payments.example");
    }

    [Fact]
    public async Task Rectification_OfTwoDetails_TellsEachRecipientOnlyTheDetailsCorrectedWhereItHadDataFrom()
    {
        // Billing holds the name but not the phone number: the payment processor (Billing's recipient) is told of the
        // new name only, never given a phone number it did not have; the CRM's host is told of both.
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var (name, email, _) = DemoCrmConnector.Person(33);
        var approval = await SubmitVerifyAsync(factory, client, "rectification", name, email, "My name and phone number are wrong.");

        await WorkflowEndToEndTests.FollowAsync(client, approval, "Approve and carry out", ("decision", "approve"), ("correct-name", "Alexandra Wood"), ("correct-phone", "+44 7700 900321"));
        await factory.DrainAsync();

        var processor = factory.Outbox.Single(m => m.To == "dpo@payments.example").Text.ReplaceLineEndings(" ");
        Assert.Contains("The corrected details: name: Alexandra Wood.", processor, StringComparison.Ordinal);
        Assert.DoesNotContain("900321", processor, StringComparison.Ordinal);
        Assert.StartsWith("Hello,", processor, StringComparison.Ordinal);
        var crmHost = factory.Outbox.Single(m => m.To == "privacy@crm-host.example").Text.ReplaceLineEndings(" ");
        Assert.Contains("The corrected details: name: Alexandra Wood; phone number: +44 7700 900321.", crmHost, StringComparison.Ordinal);

        // The accountants, who have no notices address, are told by staff: the task says what to pass on, and to whom it refers.
        var byHand = factory.Outbox.Single(m => m.Subject.StartsWith("Tell recipients by hand", StringComparison.Ordinal)).Text.ReplaceLineEndings(" ");
        Assert.Contains("Our accountants, who audit the accounts (data from Billing): tell them the corrected name, Alexandra Wood", byHand, StringComparison.Ordinal);
        Assert.DoesNotContain("900321", byHand, StringComparison.Ordinal);
        Assert.Contains($"The person: {name}, {email}.", byHand, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rectification_ApprovedWithTheCorrection_IsVisibleInTheDemoDatabasesAndReported()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var (name, email, _) = DemoCrmConnector.Person(31);
        var approval = await SubmitVerifyAsync(factory, client, "rectification", name, email, "My surname is spelt Smyth, not Smith.");

        var page = await client.GetStringAsync(approval);
        Assert.Contains("Corrected name", page, StringComparison.Ordinal);
        Assert.Contains("Corrected phone number", page, StringComparison.Ordinal);
        Assert.Contains("<p class=\"service\">Privacy team</p>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("your personal data", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("My surname is spelt Smyth", page, StringComparison.Ordinal);
        Assert.Contains("<li>Customer records (CRM): the corrections you give below are made where this system holds those details.</li>", page, StringComparison.Ordinal);
        Assert.Contains("<li>Billing: the corrections you give below to their name or email address are made here; any other detail is checked by hand.</li>", page, StringComparison.Ordinal);
        Assert.Contains("<li>Call and SMS records: this system cannot correct details by itself: the privacy team checks it by hand.</li>", page, StringComparison.Ordinal);
        await WorkflowEndToEndTests.FollowAsync(client, approval, "Approve and carry out", ("decision", "approve"), ("correct-name", "Tomas Smyth"));
        await factory.DrainAsync();

        Assert.Equal("Tomas Smyth", Database.Text(Path.Combine(factory.DataDirectory, "sources", "crm.db"), "SELECT full_name FROM contacts WHERE email = $e", ("$e", email)));
        Assert.Equal("Tomas Smyth", Database.Text(Path.Combine(factory.DataDirectory, "sources", "billing.db"), "SELECT full_name FROM accounts WHERE email = $e", ("$e", email)));
        Assert.Equal("Tomas Smyth", Database.Text(Path.Combine(factory.DataDirectory, "sources", "support.db"), "SELECT requester_name FROM tickets WHERE requester_email = $e", ("$e", email)));
        var completion = factory.Outbox.Single(m => m.Subject.Contains("is complete", StringComparison.Ordinal));
        Assert.Contains("corrected 1 record", completion.Text, StringComparison.Ordinal);
        Assert.Equal("name", Assert.Single(await factory.Stored.AuditAsync("approval.granted")).Detail("corrections"));
    }

    [Fact]
    public async Task Rectification_ApprovedWithoutSayingWhatToCorrect_IsRefusedAndChangesNothing()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var (name, email, _) = DemoCrmConnector.Person(32);
        var approval = await SubmitVerifyAsync(factory, client, "rectification", name, email, "My name is wrong.");
        var page = await client.GetStringAsync(approval);

        using var response = await client.PostAsync(approval, new FormUrlEncodedContent([new("decision", "approve"), new("__csrf", Forms.CsrfToken(page))]));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("Say what to correct", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(name, Database.Text(Path.Combine(factory.DataDirectory, "sources", "crm.db"), "SELECT full_name FROM contacts WHERE email = $e", ("$e", email)));
    }

    [Fact]
    public async Task Approve_ByStaffApiWithABadCorrection_Returns400NamingTheField()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var (name, email, _) = DemoCrmConnector.Person(33);
        await SubmitVerifyAsync(factory, client, "rectification", name, email, "Wrong phone number.");
        var id = (await factory.Stored.SingleRequestAsync()).Id;

        using var response = await WorkflowEndToEndTests.StaffPostAsync(client, $"/api/admin/requests/{id}/approve", new { corrections = new[] { new { field = "shoe_size", value = "9" } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("corrections[0].field", out _));
        Assert.Equal(RequestStatus.AwaitingApproval, (await factory.Stored.SingleRequestAsync()).Status);
    }

    [Fact]
    public async Task ObjectionToDirectMarketing_UnsubscribesKeepsASuppressionEntryThatLaterErasureLeaves()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var (name, email, _) = DemoCrmConnector.Person(34);
        var newsletter = Path.Combine(factory.DataDirectory, "sources", "newsletter.db");
        var approval = await SubmitVerifyAsync(factory, client, "objection", name, email, "Stop sending me offers.");
        var objectionPage = await client.GetStringAsync(approval);
        Assert.Contains("Direct marketing", objectionPage, StringComparison.Ordinal);
        Assert.Contains("the objection is carried out as you choose below", objectionPage, StringComparison.Ordinal);
        Assert.Contains("<li>Newsletter subscribers: if the objection is to direct marketing, Newsletter subscription deleted here; if to other processing, nothing changes here.</li>", objectionPage, StringComparison.Ordinal);
        Assert.Contains("<li>Billing: nothing changes here: this system holds no direct marketing data, and an objection to other processing is weighed by the privacy team.</li>", objectionPage, StringComparison.Ordinal);

        await WorkflowEndToEndTests.FollowAsync(client, approval, "Approve and carry out", ("decision", "approve"), ("objection", "direct-marketing"));
        await factory.DrainAsync();

        Assert.Equal(0, Database.Scalar(newsletter, "SELECT COUNT(*) FROM subscribers WHERE email = $e", ("$e", email)));
        Assert.Equal(1, Database.Scalar(Path.Combine(factory.DataDirectory, "sources", "crm.db"), "SELECT COUNT(*) FROM contacts WHERE email = $e", ("$e", email)));
        Assert.True(await SuppressedAsync(client, email));
        var suppression = Assert.Single(await factory.Stored.SuppressionsAsync());
        Assert.Equal(ISuppressionList.Hash(email), suppression.EmailHash);
        Assert.DoesNotContain("@", suppression.EmailHash, StringComparison.Ordinal);
        var completion = factory.Outbox.Single(m => m.Subject.Contains("is complete", StringComparison.Ordinal)).Text;
        Assert.Contains("unsubscribed from marketing", completion, StringComparison.Ordinal);

        // An objection is not notified to recipients (Art. 19 covers corrections, erasures and restrictions): none is
        // emailed, and the person is not told any was.
        Assert.DoesNotContain("told", completion, StringComparison.Ordinal);
        Assert.DoesNotContain(factory.Outbox, m => m.To is "dpo@payments.example" or "privacy@crm-host.example");
        Assert.Contains("- Customer records (CRM): This system cannot carry out objection requests by itself; our privacy team does it by hand.", completion, StringComparison.Ordinal);
        Assert.Single(await factory.Stored.AuditAsync("suppression.recorded"));

        var erasureApproval = await SubmitVerifyAsync(factory, client, "erasure", name, email, null);
        await WorkflowEndToEndTests.FollowAsync(client, erasureApproval, "Approve and carry out", ("decision", "approve"));
        await factory.DrainAsync();

        Assert.Equal(0, Database.Scalar(Path.Combine(factory.DataDirectory, "sources", "crm.db"), "SELECT COUNT(*) FROM contacts WHERE email = $e", ("$e", email)));
        Assert.True(await SuppressedAsync(client, email));
        Assert.False(await SuppressedAsync(client, DemoCrmConnector.Person(35).Email));
    }

    [Fact]
    public async Task ObjectionToOtherProcessing_ChangesNoDataAndAddsNoSuppression()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var (name, email, _) = DemoCrmConnector.Person(36);
        var approval = await SubmitVerifyAsync(factory, client, "objection", name, email, "I object to profiling for network planning.");

        await WorkflowEndToEndTests.FollowAsync(client, approval, "Approve and carry out", ("decision", "approve"), ("objection", "other-processing"));
        await factory.DrainAsync();

        Assert.Equal(1, Database.Scalar(Path.Combine(factory.DataDirectory, "sources", "newsletter.db"), "SELECT COUNT(*) FROM subscribers WHERE email = $e", ("$e", email)));
        Assert.False(await SuppressedAsync(client, email));
        Assert.Contains("weighs your objection", factory.Outbox.Single(m => m.Subject.Contains("is complete", StringComparison.Ordinal)).Text, StringComparison.Ordinal);
    }

    private static async Task<bool> SuppressedAsync(HttpClient client, string email)
    {
        using var request = WorkflowEndToEndTests.Staff(HttpMethod.Post, "/api/admin/suppressions/check");
        request.Content = JsonContent.Create(new { email });
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("suppressed").GetBoolean();
    }

    private static async Task<string> SubmitVerifyAsync(DataRightsFactory factory, HttpClient client, string type, string name, string email, string? details)
    {
        var seen = factory.Outbox.Select(m => m.FileName).ToHashSet(StringComparer.Ordinal);
        await Journeys.SubmitAndVerifyAsync(factory, client, type, name, email, details);
        return factory.Outbox.Single(m => !seen.Contains(m.FileName) && m.Subject.StartsWith("Approval needed", StringComparison.Ordinal)).PathOfLink("/approve/");
    }
}
