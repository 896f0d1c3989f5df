using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Integration.Tests.Workflow;
using DataRights.Testing;
using DataRights.Testing.Azurite;
using static DataRights.Integration.Tests.Durable.DurableJourneyTests;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.Durable;

/// <summary>
/// Every right but erasure (see <see cref="DurableJourneyTests"/>) with each request's work in its own orchestration on
/// the local task hub, through HTTP as a person and an approver use it, against the seeded demo databases: the effect
/// is read back from those databases (or the downloaded copy), and no email or change is made twice.
/// </summary>
public sealed class DurableRightsTests
{
    private const string Approver = "approver@example.com";

    [Fact]
    public async Task Access_RunsInTheRequestsOrchestration_TheEmailedCopyMatchesTheDemoDatabases()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        using var factory = DemoFactory(azurite);
        using var client = factory.CreateClient();
        var (name, email, account) = DemoCrmConnector.Person(51);

        var (ready, id) = await JourneyAsync(factory, client, "access", 51, null, "Your data is ready");

        Assert.Contains("copied", ready.Text, StringComparison.Ordinal);
        using var zip = await DownloadAsync(client, ready.PathOfLink("/download/"));
        var billing = Json(zip, "Billing/records.json");
        var billingDb = Path.Combine(factory.DataDirectory, "sources", "billing.db");
        var invoices = Table(billing, "billing.invoice");
        Assert.Equal(Database.Scalar(billingDb, "SELECT COUNT(*) FROM invoices WHERE customer_email = $e", ("$e", email)), invoices.GetArrayLength());
        Assert.Equal(
            Database.Scalar(billingDb, "SELECT SUM(amount_pence) FROM invoices WHERE customer_email = $e", ("$e", email)),
            invoices.EnumerateArray().Sum(i => i.GetProperty("amount_pence").GetInt64()));
        Assert.Equal(account, Table(billing, "contact.email")[0].GetProperty("account_id").GetString());
        Assert.Equal(name, Table(Json(zip, "Customer records CRM/records.json"), "contact.email")[0].GetProperty("full_name").GetString());
        Assert.Equal(
            Database.Scalar(Path.Combine(factory.DataDirectory, "sources", "telephony.db"), "SELECT COUNT(*) FROM cdrs WHERE caller_email = $e", ("$e", email)),
            Table(Json(zip, "Call and SMS records/records.json"), "telephony.cdr").GetArrayLength());
        Assert.Contains("Your rights", Read(zip, "index.html"), StringComparison.Ordinal);
        await AssertOnceAsync(client, id, factory, email, "Your data is ready");
        Assert.Equal(1, await AuditsAsync(client, id, "export.built"));
        Assert.Equal(1, await AuditsAsync(client, id, "export.downloaded"));
    }

    [Fact]
    public async Task Portability_RunsInTheRequestsOrchestration_TheEmailedCopyHoldsOnlyWhatThePersonProvided()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        using var factory = DemoFactory(azurite);
        using var client = factory.CreateClient();
        var (_, email, account) = DemoCrmConnector.Person(52);

        var (ready, id) = await JourneyAsync(factory, client, "portability", 52, null, "Your data is ready");

        Assert.Contains("copied", ready.Text, StringComparison.Ordinal);
        using var zip = await DownloadAsync(client, ready.PathOfLink("/download/"));
        Assert.All(zip.Entries.Where(e => e.FullName != "index.html"), e => Assert.StartsWith("portable/", e.FullName, StringComparison.Ordinal));
        var billing = Json(zip, "portable/Billing.json");
        Assert.Equal(["contact.email"], billing.GetProperty("tables").EnumerateArray().Select(t => t.GetProperty("category").GetString()));
        Assert.Equal(account, Table(billing, "contact.email")[0].GetProperty("account_id").GetString());
        Assert.Equal(email, Table(Json(zip, "portable/Newsletter subscribers.json"), "marketing.subscription")[0].GetProperty("email").GetString());
        Assert.Equal(0, Json(zip, "portable/Call and SMS records.json").GetProperty("tables").GetArrayLength());
        await AssertOnceAsync(client, id, factory, email, "Your data is ready");
        Assert.Equal(1, await AuditsAsync(client, id, "export.built"));
        Assert.Equal(1, await AuditsAsync(client, id, "export.downloaded"));
    }

    [Fact]
    public async Task Rectification_RunsInTheRequestsOrchestration_TheNameIsCorrectedInTheDemoDatabases()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        using var factory = DemoFactory(azurite);
        using var client = factory.CreateClient();
        var (_, email, _) = DemoCrmConnector.Person(53);

        var (completion, id) = await JourneyAsync(factory, client, "rectification", 53, "My surname is spelt Smyth, not Smith.", "Your request", ("correct-name", "Tomas Smyth"));

        Assert.Contains("is complete", completion.Subject, StringComparison.Ordinal);
        Assert.Contains("corrected 1 record", completion.Text, StringComparison.Ordinal);
        var sources = Path.Combine(factory.DataDirectory, "sources");
        Assert.Equal("Tomas Smyth", Database.Text(Path.Combine(sources, "crm.db"), "SELECT full_name FROM contacts WHERE email = $e", ("$e", email)));
        Assert.Equal("Tomas Smyth", Database.Text(Path.Combine(sources, "billing.db"), "SELECT full_name FROM accounts WHERE email = $e", ("$e", email)));
        Assert.Equal("Tomas Smyth", Database.Text(Path.Combine(sources, "support.db"), "SELECT requester_name FROM tickets WHERE requester_email = $e", ("$e", email)));
        Assert.Equal(1, Database.Scalar(Path.Combine(sources, "crm.db"), "SELECT COUNT(*) FROM contacts WHERE full_name = 'Tomas Smyth'"));
        await AssertOnceAsync(client, id, factory, email, "Your request");

        // Art. 19: the CRM's processor is told the corrected name, once.
        Assert.Contains("name: Tomas Smyth", Assert.Single(factory.Outbox, m => m.To == "privacy@crm-host.example").Text, StringComparison.Ordinal);
        Assert.Equal(1, await AuditsAsync(client, id, "recipients.notified"));
    }

    [Fact]
    public async Task Restriction_RunsInTheRequestsOrchestration_TheRecordsAreMarkedInTheDemoDatabases()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        using var factory = DemoFactory(azurite);
        using var client = factory.CreateClient();
        var (_, email, _) = DemoCrmConnector.Person(54);

        var (completion, id) = await JourneyAsync(factory, client, "restriction", 54, "I dispute my bill; do not use my data until it is settled.", "Your request");

        Assert.Contains("is complete", completion.Subject, StringComparison.Ordinal);
        Assert.Contains("marked 1 record as restricted", completion.Text, StringComparison.Ordinal);
        var crm = Path.Combine(factory.DataDirectory, "sources", "crm.db");
        Assert.Equal(1, Database.Scalar(crm, "SELECT restricted FROM contacts WHERE email = $e", ("$e", email)));
        Assert.Equal(1, Database.Scalar(Path.Combine(factory.DataDirectory, "sources", "newsletter.db"), "SELECT restricted FROM subscribers WHERE email = $e", ("$e", email)));
        Assert.Equal(1, Database.Scalar(crm, "SELECT COUNT(*) FROM contacts WHERE restricted = 1"));
        using (var request = WorkflowEndToEndTests.Staff(HttpMethod.Get, "/api/admin/restrictions"))
        using (var response = await client.SendAsync(request))
        {
            Assert.Single((await response.JsonAsync()).EnumerateArray());
        }

        await AssertOnceAsync(client, id, factory, email, "Your request");
        Assert.Equal(1, await AuditsAsync(client, id, "restriction.placed"));
    }

    [Fact]
    public async Task Objection_ToDirectMarketing_RunsInTheRequestsOrchestration_UnsubscribesAndSuppresses()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        using var factory = DemoFactory(azurite);
        using var client = factory.CreateClient();
        var (_, email, _) = DemoCrmConnector.Person(55);

        var (completion, id) = await JourneyAsync(factory, client, "objection", 55, "Stop sending me offers.", "Your request", ("objection", "direct-marketing"));

        Assert.Contains("is complete", completion.Subject, StringComparison.Ordinal);
        Assert.Contains("unsubscribed from marketing", completion.Text, StringComparison.Ordinal);
        var sources = Path.Combine(factory.DataDirectory, "sources");
        Assert.Equal(0, Database.Scalar(Path.Combine(sources, "newsletter.db"), "SELECT COUNT(*) FROM subscribers WHERE email = $e", ("$e", email)));
        Assert.Equal(1, Database.Scalar(Path.Combine(sources, "crm.db"), "SELECT COUNT(*) FROM contacts WHERE email = $e", ("$e", email)));
        using (var request = WorkflowEndToEndTests.Staff(HttpMethod.Post, "/api/admin/suppressions/check"))
        {
            request.Content = JsonContent.Create(new { email });
            using var response = await client.SendAsync(request);
            Assert.True((await response.JsonAsync()).GetProperty("suppressed").GetBoolean());
        }

        using (var listed = await client.SendAsync(WorkflowEndToEndTests.Staff(HttpMethod.Get, "/api/admin/suppressions")))
        {
            Assert.Equal(1, (await listed.JsonAsync()).GetArrayLength());
        }

        await AssertOnceAsync(client, id, factory, email, "Your request");
        Assert.Equal(1, await AuditsAsync(client, id, "suppression.recorded"));
    }

    /// <summary>A Durable host on the configured demo sources (seeded SQLite databases in its own folder).</summary>
    private static DataRightsFactory DemoFactory(AzuriteServer azurite)
    {
        var factory = DurableFactory(azurite);
        factory.Sources = null;
        return factory;
    }

    /// <summary>
    /// Submits a request for seeded person <paramref name="person"/> through the API, follows the emailed verification
    /// link, then the approver's emailed link (approving with <paramref name="decision"/>), and returns the email that
    /// closes the request (its subject starts with <paramref name="closing"/>) once the orchestration has nothing running.
    /// </summary>
    private static async Task<(OutboxMessage Closed, string Id)> JourneyAsync(
        DataRightsFactory factory, HttpClient client, string type, int person, string? details, string closing, params (string Name, string Value)[] decision)
    {
        var (name, email, _) = DemoCrmConnector.Person(person);
        string id;
        using (var submitted = await client.PostJsonAsync(new { type, email, fullName = name, jurisdiction = "UK", details }))
        {
            Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
            id = await factory.Services.WaitingIdAsync(email);
        }

        var verification = await MailAsync(factory, m => m.To == email && m.Links.Any(l => l.Contains("/verify/", StringComparison.Ordinal)));
        await FollowAsync(client, verification.PathOfLink("/verify/"), "Yes, this is my request");
        var approval = await MailAsync(factory, m => m.To == Approver);
        await FollowAsync(client, approval.PathOfLink("/approve/"), "Approve and carry out", [("decision", "approve"), .. decision]);
        var closed = await MailAsync(factory, m => m.To == email && m.Subject.StartsWith(closing, StringComparison.Ordinal));

        await StepAsync(factory, id, "completed");
        Assert.Equal("completed", await StatusAsync(client, id));
        return (closed, id);
    }

    /// <summary>
    /// One verification email, one approval email and one closing email; no message sent twice; each source searched
    /// and acted on once, and the request completed once.
    /// </summary>
    private static async Task AssertOnceAsync(HttpClient client, string id, DataRightsFactory factory, string email, string closing)
    {
        var outbox = factory.Outbox;
        Assert.Single(outbox, m => m.To == email && m.Links.Any(l => l.Contains("/verify/", StringComparison.Ordinal)));
        Assert.Single(outbox, m => m.To == Approver);
        Assert.Single(outbox, m => m.To == email && m.Subject.StartsWith(closing, StringComparison.Ordinal));
        Assert.Equal(outbox.Count, outbox.DistinctBy(m => (m.To, m.Subject, m.Text)).Count());
        var trail = await TrailAsync(client, id);
        Assert.True(trail.GetProperty("chainValid").GetBoolean());
        var entries = trail.GetProperty("entries").EnumerateArray().ToList();
        var executed = entries.Where(e => e.GetProperty("action").GetString() == "source.executed").ToList();
        var discovered = entries.Where(e => e.GetProperty("action").GetString() == "source.discovered").ToList();
        Assert.NotEmpty(executed);
        Assert.Equal(executed.Count, executed.Select(e => e.GetProperty("details").GetProperty("source").GetString()).Distinct().Count());
        Assert.Equal(discovered.Count, discovered.Select(e => e.GetProperty("details").GetProperty("source").GetString()).Distinct().Count());
        Assert.Single(entries, e => e.GetProperty("action").GetString() == "request.completed");
    }

    /// <summary>How many entries of the request's audit trail (read through the staff API, whatever the store) record <paramref name="action"/>.</summary>
    private static async Task<int> AuditsAsync(HttpClient client, string id, string action) =>
        (await TrailAsync(client, id)).GetProperty("entries").EnumerateArray().Count(e => e.GetProperty("action").GetString() == action);

    private static async Task<JsonElement> TrailAsync(HttpClient client, string id)
    {
        using var response = await client.SendAsync(WorkflowEndToEndTests.Staff(HttpMethod.Get, $"/api/admin/requests/{id}/audit"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    /// <summary>Opens the emailed download link and presses its button, as the person would.</summary>
    private static async Task<ZipArchive> DownloadAsync(HttpClient client, string path)
    {
        var page = await client.GetStringAsync(path);
        Assert.Contains("Download my data", page, StringComparison.Ordinal);
        using var response = await client.PostAsync(path, new FormUrlEncodedContent([new("__csrf", Forms.CsrfToken(page))]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        return new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), ZipArchiveMode.Read);
    }

    private static JsonElement Json(ZipArchive zip, string name) => JsonDocument.Parse(Read(zip, name)).RootElement.Clone();

    private static JsonElement Table(JsonElement source, string category) =>
        source.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("category").GetString() == category).GetProperty("rows");

    private static string Read(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open(), detectEncodingFromByteOrderMarks: false);
        return reader.ReadToEnd();
    }
}
