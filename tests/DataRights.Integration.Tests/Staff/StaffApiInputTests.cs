using System.Net;
using DataRights.Core.Requests;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Integration.Tests.Workflow;

namespace DataRights.Integration.Tests.Staff;

/// <summary>
/// The staff API refuses what it must not act on, naming the field, and changes nothing: instructions for another kind of
/// request, a rejection that would give the person no reason, text with control characters, keys and ids no record has.
/// </summary>
public sealed class StaffApiInputTests
{
    [Fact]
    public async Task Approve_AnAccessRequestWithAnObjectionsScope_IsRefused_AndNobodyIsAddedToTheSuppressionList()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var id = await AwaitingApprovalAsync(factory, client, "access", 41);

        using var response = await WorkflowEndToEndTests.StaffPostAsync(client, $"/api/admin/requests/{id}/approve", new { objection = "direct-marketing" });
        await factory.DrainAsync();

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.StartsWith("objection: only an objection", (await response.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(RequestStatus.AwaitingApproval, (await factory.Stored.SingleRequestAsync()).Status);
        Assert.Empty(await factory.Stored.SuppressionsAsync());
    }

    [Fact]
    public async Task Approve_WithACorrectionThatIsNull_Returns400NamingIt()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var id = await AwaitingApprovalAsync(factory, client, "rectification", 42);

        using var response = await WorkflowEndToEndTests.StaffPostAsync(client, $"/api/admin/requests/{id}/approve", new { corrections = new object?[] { null } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("corrections[0]", out _));
        Assert.Equal(RequestStatus.AwaitingApproval, (await factory.Stored.SingleRequestAsync()).Status);
    }

    [Theory]
    [InlineData("reject", """{"reason":"other"}""", "note")]
    [InlineData("reject", """{"reason":"other","note":"   "}""", "note")]
    [InlineData("reject", """{"reason":"duplicate","note":"See the first\u0000request"}""", "note")]
    [InlineData("approve", """{"note":"Fine\u202Egnp.exe"}""", "note")]
    [InlineData("ask", """{"question":"Please confirm\u202Egnp.exe"}""", "question")]
    [InlineData("extend", """{"reason":"Complex\u0007request"}""", "reason")]
    [InlineData("verify", """{"note":"Seen\u0000their passport"}""", "note")]
    public async Task Decisions_WithTextThePersonCouldNotBeSent_Return400NamingTheField_AndChangeNothing(string action, string body, string field)
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var id = await AwaitingApprovalAsync(factory, client, "erasure", 43);
        var before = (await factory.Stored.SingleRequestAsync()).Version;

        using var request = WorkflowEndToEndTests.Staff(HttpMethod.Post, $"/api/admin/requests/{id}/{action}");
        request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(before, (await factory.Stored.SingleRequestAsync()).Version);
    }

    [Fact]
    public async Task Hold_OnAKeyNoSourceHas_Returns400NamingIt_AndPlacesNothing()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        using var response = await WorkflowEndToEndTests.StaffPostAsync(client, "/api/admin/holds", new { scope = "source", sourceKey = "CRM", reason = "Tribunal claim 2026/114" });
        using var list = WorkflowEndToEndTests.Staff(HttpMethod.Get, "/api/admin/holds");
        using var holds = await client.SendAsync(list);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("sourceKey", out _));
        Assert.Equal(0, (await holds.JsonAsync()).GetArrayLength());

        // The registered key is taken.
        using var placed = await WorkflowEndToEndTests.StaffPostAsync(client, "/api/admin/holds", new { scope = "source", sourceKey = "crm", reason = "Tribunal claim 2026/114" });
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
    }

    [Theory]
    [InlineData("/api/admin/sources/")]
    [InlineData("/api/admin/holds/")]
    public async Task Delete_WithAnIdNoRecordCouldHave_Returns404(string route)
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        foreach (var id in new[] { new string('a', 600), string.Concat(Enumerable.Repeat("%20", 103)), "hold_zz" })
        {
            using var request = WorkflowEndToEndTests.Staff(HttpMethod.Delete, route + id);
            using var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task WhoExtendedOrDecided_IsNamedPlainly_OnTheConsolePageAndTheUsedApprovalLink()
    {
        using var factory = new DataRightsFactory();
        using var api = factory.CreateClient();
        var seen = factory.Outbox.Select(m => m.FileName).ToHashSet(StringComparer.Ordinal);
        var id = await AwaitingApprovalAsync(factory, api, "erasure", 44);
        var email = factory.Outbox.Single(m => !seen.Contains(m.FileName) && m.Subject.StartsWith("Approval needed", StringComparison.Ordinal));
        var approval = email.PathOfLink("/approve/");

        // The law and the reasons are named plainly, never by their keys.
        var open = await api.GetStringAsync(approval);
        Assert.Contains("(United Kingdom, UK GDPR)", email.Text, StringComparison.Ordinal);
        Assert.Contains("United Kingdom (UK GDPR)", open, StringComparison.Ordinal);
        Assert.Contains(">Another reason (explain below)</option>", open, StringComparison.Ordinal);
        Assert.DoesNotContain("uk-gdpr", email.Text + open, StringComparison.Ordinal);
        using (var extended = await WorkflowEndToEndTests.StaffPostAsync(api, $"/api/admin/requests/{id}/extend", new { reason = "Your data is spread over many archived systems." }))
        {
            Assert.Equal(HttpStatusCode.OK, extended.StatusCode);
        }

        using (var approved = await WorkflowEndToEndTests.StaffPostAsync(api, $"/api/admin/requests/{id}/approve", new { note = "Checked." }))
        {
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        }

        using var console = StaffConsole.ConsoleClient.Create(factory);
        await StaffConsole.ConsoleClient.SignInAsync(console);
        var page = await console.GetStringAsync($"/staff/requests/{id}");
        var used = await api.GetStringAsync(approval);

        Assert.Contains("by Priya Officer (staff) to", page, StringComparison.Ordinal);
        Assert.Contains("Decision: approved by Priya Officer (staff) on", used, StringComparison.Ordinal);
        Assert.Matches(@"Nothing was changed from this link\. Where the request stands now: (Being carried out|Completed)\.", used);
        Assert.DoesNotContain("staff:", page + used, StringComparison.Ordinal);
    }

    /// <summary>A request of <paramref name="type"/> from demo person <paramref name="person"/>, verified and waiting for approval.</summary>
    private static async Task<string> AwaitingApprovalAsync(DataRightsFactory factory, HttpClient client, string type, int person)
    {
        var (name, email, _) = DemoCrmConnector.Person(person);
        await Journeys.SubmitAndVerifyAsync(factory, client, type, name, email, type == "rectification" ? "My surname is spelt Smyth." : null);
        var request = await factory.Stored.SingleRequestAsync();
        Assert.Equal(RequestStatus.AwaitingApproval, request.Status);
        return request.Id;
    }
}
