using System.Net;
using System.Net.Http.Json;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Integration.Tests.Workflow;

namespace DataRights.Integration.Tests.Sources;

/// <summary>Legal holds block erasure and become the recorded basis, on the real demo databases.</summary>
public sealed class LegalHoldTests
{
    [Fact]
    public async Task HoldOnThePerson_BlocksErasureEverywhereAndIsTheStatedBasis()
    {
        var (name, email, _) = DemoCrmConnector.Person(3);
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        using var placed = await Post(client, "/api/admin/holds", new { scope = "person", email, reason = "Employment tribunal claim 2026/114, hold all records" });
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        Assert.DoesNotContain(email, await placed.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        await EraseAsync(factory, client, name, email);

        var crm = Path.Combine(factory.DataDirectory, "sources", "crm.db");
        var billing = Path.Combine(factory.DataDirectory, "sources", "billing.db");
        Assert.Equal(1, Database.Scalar(crm, "SELECT COUNT(*) FROM contacts WHERE email = $e", ("$e", email)));
        Assert.Equal(1, Database.Scalar(billing, "SELECT COUNT(*) FROM payment_cards WHERE customer_email = $e", ("$e", email)));
        var completion = factory.Outbox.Single(m => m.Subject.Contains("is complete", StringComparison.Ordinal));
        Assert.Contains("because of a legal hold (Employment tribunal claim 2026/114", completion.Text, StringComparison.Ordinal);

        // The promise the product keeps (see the next test): erased once the hold ends, and the person told.
        Assert.Contains("When it ends we erase these records and tell you", completion.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HoldLifted_TheRegionPurgesFinishTheErasure_AndTellThePerson()
    {
        var (name, email, _) = DemoCrmConnector.Person(3);
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        using var placed = await Post(client, "/api/admin/holds", new { scope = "person", email, reason = "Employment tribunal claim 2026/114, hold all records" });
        var holdId = (await placed.JsonAsync()).GetProperty("id").GetString();
        await EraseAsync(factory, client, name, email);
        var requestId = (await factory.Stored.SingleRequestAsync()).Id;
        var crm = Path.Combine(factory.DataDirectory, "sources", "crm.db");

        // While the hold stands the follow-ups wait, and the nightly purge leaves the records alone.
        var waiting = (await Retention.PurgeKit.GetAsync(client, $"/api/admin/purges/follow-ups?requestId={requestId}")).EnumerateArray().ToList();
        Assert.NotEmpty(waiting);
        Assert.All(waiting, f => Assert.Equal("held", f.GetProperty("state").GetString()));
        factory.Clock.Advance(TimeSpan.FromDays(1));
        await Retention.PurgeKit.RunNowAsync(client, "eu-west", dryRun: false);
        Assert.Equal(1, Database.Scalar(crm, "SELECT COUNT(*) FROM contacts WHERE email = $e", ("$e", email)));
        Assert.DoesNotContain(factory.Outbox, m => m.Subject.Contains("We have now erased", StringComparison.Ordinal));

        using (var lift = WorkflowEndToEndTests.Staff(HttpMethod.Delete, $"/api/admin/holds/{holdId}"))
        using (var lifted = await client.SendAsync(lift))
        {
            Assert.Equal(HttpStatusCode.NoContent, lifted.StatusCode);
        }

        factory.Clock.Advance(TimeSpan.FromDays(1));
        foreach (var region in new[] { "eu-west", "us-east", "us-west" })
        {
            await Retention.PurgeKit.RunNowAsync(client, region, dryRun: false);
        }

        Assert.Equal(0, Database.Scalar(crm, "SELECT COUNT(*) FROM contacts WHERE email = $e", ("$e", email)));
        Assert.Equal(0, Database.Scalar(Path.Combine(factory.DataDirectory, "sources", "billing.db"), "SELECT COUNT(*) FROM payment_cards WHERE customer_email = $e", ("$e", email)));
        var done = (await Retention.PurgeKit.GetAsync(client, $"/api/admin/purges/follow-ups?requestId={requestId}")).EnumerateArray().ToList();
        Assert.Contains(done, f => f.GetProperty("sourceKey").GetString() == "crm" && f.GetProperty("state").GetString() == "done");
        var told = factory.Outbox.Where(m => m.To == email && m.Subject.Contains("We have now erased the records we had to keep", StringComparison.Ordinal)).ToList();
        Assert.Contains(told, m => m.Text.Contains("in Customer records (CRM)", StringComparison.Ordinal));
        Assert.Equal(told.Count, told.Select(m => m.Text).Distinct().Count());

        // Running again tells nobody twice.
        factory.Clock.Advance(TimeSpan.FromDays(1));
        await Retention.PurgeKit.RunNowAsync(client, "eu-west", dryRun: false);
        Assert.Equal(told.Count, factory.Outbox.Count(m => m.To == email && m.Subject.Contains("We have now erased", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task HoldOnAManualSource_PromisesNoAutomaticErasure_AndSchedulesNone()
    {
        var (name, email, _) = DemoCrmConnector.Person(9);
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        using (var register = WorkflowEndToEndTests.Staff(HttpMethod.Put, "/api/admin/sources/sage"))
        {
            register.Content = JsonContent.Create(new
            {
                displayName = "Sage accounts", connectorType = "manual", access = "read-write", region = "eu-west",
                connection = new Dictionary<string, string> { ["owner"] = "accounts.clerk@example.com" },
                identityFields = new[] { "email" },
                categories = new[] { new { key = "billing.ledger", displayName = "Billing ledger", strategy = "delete" } },
            });
            using var registered = await client.SendAsync(register);
            Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        }

        using var placed = await Post(client, "/api/admin/holds", new { scope = "source", sourceKey = "sage", reason = "Audit of the 2025 accounts, keep every ledger" });
        await Journeys.SubmitAndVerifyAsync(factory, client, "erasure", name, email);
        var search = factory.Outbox.Single(m => m.To == "accounts.clerk@example.com");
        await WorkflowEndToEndTests.FollowAsync(client, search.PathOfLink("/task/"), "Record my answer", ("records", "2"), ("categories", "billing.ledger"));
        await factory.DrainAsync();
        await WorkflowEndToEndTests.FollowAsync(client, factory.Outbox.Single(m => m.To == "approver@example.com").PathOfLink("/approve/"), "Approve and carry out", ("decision", "approve"));
        await factory.DrainAsync();

        var completion = factory.Outbox.Single(m => m.Subject.Contains("is complete", StringComparison.Ordinal));
        Assert.Contains("once it ends, you can ask us again to erase these records", completion.Text, StringComparison.Ordinal);
        var requestId = (await factory.Stored.SingleRequestAsync()).Id;
        var followUps = (await Retention.PurgeKit.GetAsync(client, $"/api/admin/purges/follow-ups?requestId={requestId}")).EnumerateArray().ToList();
        Assert.DoesNotContain(followUps, f => f.GetProperty("sourceKey").GetString() == "sage");
        Assert.DoesNotContain("When it ends we erase these records", completion.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HoldOnASource_BlocksOnlyThatSource()
    {
        var (name, email, _) = DemoCrmConnector.Person(4);
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        await Post(client, "/api/admin/holds", new { scope = "source", sourceKey = "billing", reason = "Tax audit by HMRC for 2025-26, keep everything" });

        // Before approving, the approver's page and the console's say what the hold will keep, and what goes elsewhere.
        await EraseAsync(factory, client, name, email, async approval =>
        {
            using var console = StaffConsole.ConsoleClient.Create(factory);
            await StaffConsole.ConsoleClient.SignInAsync(console);
            var id = (await factory.Stored.SingleRequestAsync()).Id;
            foreach (var page in new[] { await client.GetStringAsync(approval), await console.GetStringAsync("/staff/requests/" + id) })
            {
                Assert.Contains("<li>Billing: nothing is erased here while a legal hold stands (Tax audit by HMRC for 2025-26, keep everything); the person is told so.</li>", page, StringComparison.Ordinal);
                Assert.Contains("<li>Customer records (CRM): Name deleted; ", page, StringComparison.Ordinal);
                Assert.DoesNotContain("no rule is set for it here", page, StringComparison.Ordinal);
            }
        });

        Assert.Equal(0, Database.Scalar(Path.Combine(factory.DataDirectory, "sources", "crm.db"), "SELECT COUNT(*) FROM contacts WHERE email = $e", ("$e", email)));
        Assert.Equal(1, Database.Scalar(Path.Combine(factory.DataDirectory, "sources", "billing.db"), "SELECT COUNT(*) FROM payment_cards WHERE customer_email = $e", ("$e", email)));
    }

    [Fact]
    public async Task LiftedHold_NoLongerBlocks()
    {
        var (name, email, _) = DemoCrmConnector.Person(5);
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        using var placed = await Post(client, "/api/admin/holds", new { scope = "person", email, reason = "Fraud investigation, police request 88" });
        var id = (await placed.JsonAsync()).GetProperty("id").GetString();
        using var request = WorkflowEndToEndTests.Staff(HttpMethod.Delete, $"/api/admin/holds/{id}");
        using var lifted = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, lifted.StatusCode);

        await EraseAsync(factory, client, name, email);

        Assert.Equal(0, Database.Scalar(Path.Combine(factory.DataDirectory, "sources", "crm.db"), "SELECT COUNT(*) FROM contacts WHERE email = $e", ("$e", email)));
    }

    [Theory]
    [InlineData("person", null, "Long enough reason here", "email")]
    [InlineData("source", null, "Long enough reason here", "sourceKey")]
    [InlineData("everyone", null, "Long enough reason here", "scope")]
    [InlineData("source", "billing", "short", "reason")]
    public async Task PlaceHold_BadInput_Returns400NamingTheField(string scope, string? sourceKey, string reason, string field)
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        using var response = await Post(client, "/api/admin/holds", new { scope, sourceKey, reason });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
    }

    private static async Task EraseAsync(DataRightsFactory factory, HttpClient client, string name, string email, Func<string, Task>? beforeApproval = null)
    {
        using (var submitted = await client.PostJsonAsync(new { type = "erasure", email, fullName = name, jurisdiction = "UK" }))
        {
            Assert.True(submitted.IsSuccessStatusCode);
        }

        await factory.DrainAsync();
        await WorkflowEndToEndTests.FollowAsync(client, factory.Outbox.Single(m => m.Subject.StartsWith("Please confirm", StringComparison.Ordinal)).PathOfLink("/verify/"), "Yes, this is my request");
        await factory.DrainAsync();
        var approval = factory.Outbox.Single(m => m.To == "approver@example.com").PathOfLink("/approve/");
        if (beforeApproval is not null)
        {
            await beforeApproval(approval);
        }

        await WorkflowEndToEndTests.FollowAsync(client, approval, "Approve and carry out", ("decision", "approve"));
        await factory.DrainAsync();
    }

    private static async Task<HttpResponseMessage> Post(HttpClient client, string path, object body)
    {
        using var request = WorkflowEndToEndTests.Staff(HttpMethod.Post, path);
        request.Content = JsonContent.Create(body);
        return await client.SendAsync(request);
    }
}
