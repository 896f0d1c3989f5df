using System.Net;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Integration.Tests.Workflow;

namespace DataRights.Integration.Tests.Agents;

/// <summary>Registering an <c>agent</c> source through the staff API: every bad field named in problem+json.</summary>
public sealed class AgentRegistrationTests
{
    [Fact]
    public async Task Register_BadAgentNameTimeoutAndSecret_IsRefusedNamingEachField()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        using var request = WorkflowEndToEndTests.Staff(HttpMethod.Put, "/api/admin/sources/billing");
        request.Content = System.Net.Http.Json.JsonContent.Create(new
        {
            displayName = "Billing (on premises)", connectorType = "agent", access = "read-write", region = "eu-west", identityFields = new[] { "email" },
            connection = new Dictionary<string, string> { ["agent"] = "Branch Office", ["timeout"] = "PT30S" },
            categories = new[] { new { key = "billing.invoice", displayName = "Invoices", strategy = "delete", queries = new Dictionary<string, string> { ["discover"] = "SELECT id AS record_key FROM invoices WHERE customer_email = $email" } } },
        });

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        foreach (var field in new[] { "connection.agent", "connection.timeout", "connection.secret", "categories[0].queries" })
        {
            Assert.True(errors.TryGetProperty(field, out _), field);
        }
    }

    [Fact]
    public async Task Register_GoodAgentSource_IsActiveAndItsTestSaysWhereCommandsGo()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        await AgentKit.RegisterAsync(client, timeout: "PT4H");

        using var test = WorkflowEndToEndTests.Staff(HttpMethod.Post, "/api/admin/sources/billing/test");
        using var response = await client.SendAsync(test);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("queue agent-branch", (await response.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
