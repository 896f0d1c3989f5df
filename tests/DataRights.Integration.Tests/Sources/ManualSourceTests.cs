using System.Net;
using System.Net.Http.Json;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Integration.Tests.Workflow;

namespace DataRights.Integration.Tests.Sources;

/// <summary>A source with no API: its owner is emailed tasks and answers from signed links; the answers complete the steps.</summary>
public sealed class ManualSourceTests
{
    private const string Owner = "accounts.clerk@example.com";

    [Fact]
    public async Task ManualSource_OwnerAnswersBothTasks_RequestCompletesWithTheirEvidence()
    {
        var (name, email, _) = DemoCrmConnector.Person(6);
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        await RegisterAsync(client);

        await Journeys.SubmitAndVerifyAsync(factory, client, "erasure", name, email);
        var search = factory.Outbox.Single(m => m.To == Owner);
        Assert.Contains("search for a person in Sage accounts", search.Subject, StringComparison.Ordinal);
        Assert.Contains(email, search.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(factory.Outbox, m => m.To == "approver@example.com");

        await WorkflowEndToEndTests.FollowAsync(client, search.PathOfLink("/task/"), "Record my answer", ("records", "3"), ("categories", "billing.ledger, contact.address"));
        await factory.DrainAsync();
        var approval = factory.Outbox.Single(m => m.To == "approver@example.com");
        Assert.Contains("Sage accounts: 3 records (Billing ledger, Contact address)", approval.Text, StringComparison.Ordinal);

        await WorkflowEndToEndTests.FollowAsync(client, approval.PathOfLink("/approve/"), "Approve and carry out", ("decision", "approve"));
        await factory.DrainAsync();
        var erase = factory.Outbox.Single(m => m.To == Owner && m.Subject.Contains("carry out", StringComparison.Ordinal));
        await WorkflowEndToEndTests.FollowAsync(client, erase.PathOfLink("/task/"), "Record my answer", ("erased", "2"), ("retained", "1"), ("basis", "Companies Act 2006: accounting records, 6 years"));
        await factory.DrainAsync();

        var completion = factory.Outbox.Single(m => m.Subject.Contains("is complete", StringComparison.Ordinal));
        Assert.Contains("Sage accounts: deleted 2 records. We kept 1 record because Companies Act 2006", completion.Text, StringComparison.Ordinal);
        Assert.Single(await factory.Stored.AuditAsync("source.executed", "owner:" + Owner));

        var again = await client.GetStringAsync(erase.PathOfLink("/task/"));
        Assert.Contains("This task is done", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManualSource_SearchTaskPostedAgainAfterItWasAnswered_IsRefusedAndRecordsNothing()
    {
        var (name, email, _) = DemoCrmConnector.Person(6);
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        await RegisterAsync(client);
        await Journeys.SubmitAndVerifyAsync(factory, client, "erasure", name, email);
        var link = factory.Outbox.Single(m => m.To == Owner).PathOfLink("/task/");
        var page = await client.GetStringAsync(link);
        await WorkflowEndToEndTests.FollowAsync(client, link, "Record my answer", ("records", "3"), ("categories", "billing.ledger"));
        await factory.DrainAsync();
        var audit = await factory.Stored.AuditCountAsync();

        using var again = await client.PostAsync(link, new FormUrlEncodedContent([new("records", "0"), new("categories", ""), new("__csrf", Forms.CsrfToken(page))]));

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("Nothing was recorded from this link", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(audit, await factory.Stored.AuditCountAsync());
    }

    [Fact]
    public async Task ManualSource_OwnerWhoDoesNotAnswer_IsRemindedThenTheStepFailsAndApproversSeeIt()
    {
        var (name, email, _) = DemoCrmConnector.Person(8);
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        await RegisterAsync(client);
        await Journeys.SubmitAndVerifyAsync(factory, client, "erasure", name, email);
        Assert.Single(factory.Outbox, m => m.To == Owner);

        await factory.AdvanceAsync(TimeSpan.FromDays(3.1));
        var tasks = factory.Outbox.Where(m => m.To == Owner).ToList();
        Assert.Equal(2, tasks.Count);
        Assert.All(tasks, t => Assert.Contains("search for a person in Sage accounts", t.Subject, StringComparison.Ordinal));
        Assert.NotEqual(tasks[0].PathOfLink("/task/"), tasks[1].PathOfLink("/task/"));
        Assert.DoesNotContain(factory.Outbox, m => m.To == "approver@example.com");

        await factory.AdvanceAsync(TimeSpan.FromDays(4));
        var approval = factory.Outbox.Single(m => m.To == "approver@example.com");
        Assert.Contains("did not answer within 7 days", approval.Text, StringComparison.Ordinal);
        Assert.Equal(2, factory.Outbox.Count(m => m.To == Owner));
        var closed = await client.GetStringAsync(tasks[1].PathOfLink("/task/"));
        Assert.Contains("This task is done", closed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManualTaskLink_Tampered_IsRefused()
    {
        var (name, email, _) = DemoCrmConnector.Person(9);
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        await RegisterAsync(client);
        await Journeys.SubmitAndVerifyAsync(factory, client, "erasure", name, email);
        var path = factory.Outbox.Single(m => m.To == Owner).PathOfLink("/task/");

        using var response = await client.GetAsync(path[..^3] + (path[^3] == 'A' ? "B" : "A") + path[^2..]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ManualSource_WithoutAnOwner_IsRefusedNamingTheField()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        using var response = await Put(client, new { displayName = "Sage accounts", connectorType = "manual", access = "read-write", region = "eu-west", identityFields = new[] { "email" }, categories = new[] { new { key = "billing.ledger", displayName = "Billing ledger", strategy = "delete" } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("connection.owner", out _));
    }

    internal static async Task RegisterAsync(HttpClient client)
    {
        using var response = await Put(client, new
        {
            displayName = "Sage accounts", connectorType = "manual", access = "read-write", region = "eu-west",
            connection = new Dictionary<string, string> { ["owner"] = Owner },
            identityFields = new[] { "email", "name" },
            categories = new[] { new { key = "billing.ledger", displayName = "Billing ledger", strategy = "delete" } },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<HttpResponseMessage> Put(HttpClient client, object body)
    {
        using var request = WorkflowEndToEndTests.Staff(HttpMethod.Put, "/api/admin/sources/sage");
        request.Content = JsonContent.Create(body);
        return await client.SendAsync(request);
    }
}
