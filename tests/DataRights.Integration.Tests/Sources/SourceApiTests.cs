using System.Net;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Integration.Tests.Workflow;

namespace DataRights.Integration.Tests.Sources;

/// <summary>The staff registry API over HTTP on the real store and registry.</summary>
public sealed class SourceApiTests
{
    private static object Tickets(string table = "tickets") => new
    {
        displayName = "Support tickets",
        connectorType = "sqlite",
        access = "read-write",
        region = "eu-west",
        connection = new Dictionary<string, string> { ["path"] = "billing.db" },
        identityFields = new[] { "email" },
        categories = new[]
        {
            new
            {
                key = "billing.payment_card",
                displayName = "Billing payment card",
                strategy = "delete",
                queries = new Dictionary<string, string>
                {
                    ["discover"] = $"SELECT id AS record_key FROM {(table == "tickets" ? "payment_cards" : table)} WHERE customer_email = $email",
                    ["delete"] = "DELETE FROM payment_cards WHERE id = $record_key",
                },
            },
        },
    };

    [Fact]
    public async Task Register_ValidSource_IsListedUsedByTheNextRequestAndTestable()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        await client.GetAsync("/healthz");

        using var put = await Send(client, HttpMethod.Put, "/api/admin/sources/cards", Tickets());
        using var test = await Send(client, HttpMethod.Post, "/api/admin/sources/cards/test", new { });
        using var list = await Send(client, HttpMethod.Get, "/api/admin/sources", null);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("staff:Priya Officer", (await put.JsonAsync()).GetProperty("updatedBy").GetString());
        Assert.True((await test.JsonAsync()).GetProperty("reachable").GetBoolean());
        var keys = (await list.JsonAsync()).EnumerateArray().Select(s => s.GetProperty("registration").GetProperty("key").GetString()).ToList();
        Assert.Equal(DemoSources.Registrations.Select(r => r.Key).Append("cards").Order(StringComparer.Ordinal), keys);
        Assert.Contains(factory.Services.GetService(typeof(SourceRegistry)) is SourceRegistry r ? r.ActiveSources() : [], s => s.Key == "cards");
    }

    [Fact]
    public async Task Register_RetainWithoutLegalBasis_Returns400NamingTheFieldAndSavesNothing()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var body = new
        {
            displayName = "Invoices",
            connectorType = "sqlite",
            access = "read-write",
            region = "eu-west",
            connection = new Dictionary<string, string> { ["path"] = "billing.db", ["password"] = "hunter2" },
            secretSettings = new[] { "password" },
            identityFields = new[] { "email" },
            categories = new[] { new { key = "billing.invoice", displayName = "Billing invoice", strategy = "retain", retentionPeriod = "P7Y" } },
        };

        using var response = await Send(client, HttpMethod.Put, "/api/admin/sources/invoices", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("categories[0].legalBasis", out _));
        Assert.True(errors.TryGetProperty("connection.password", out _));
        Assert.DoesNotContain("hunter2", errors.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(await factory.Stored.RegistrationsAsync(), r => r.Registration.Key == "invoices");
    }

    [Fact]
    public async Task Register_CategoryWithoutDisplayName_Returns400ProblemNamingTheFieldAndSavesNothing()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        using var response = await Send(client, HttpMethod.Put, "/api/admin/sources/ledger", new
        {
            displayName = "Ledger", connectorType = "manual", access = "read-write", region = "eu-west", identityFields = new[] { "email" },
            connection = new Dictionary<string, string> { ["owner"] = "ledger-owner@example.com" },
            categories = new object[] { new { key = "billing.ledger", displayName = "Ledger entries", strategy = "delete" }, new { key = "contact.address", strategy = "delete" } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Equal(["categories[1].displayName"], errors.EnumerateObject().Select(e => e.Name));
        Assert.Contains("display name", errors.GetProperty("categories[1].displayName")[0].GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(await factory.Stored.RegistrationsAsync(), r => r.Registration.Key == "ledger");
    }

    [Fact]
    public async Task Register_UnknownConnectorType_Returns400()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        using var response = await Send(client, HttpMethod.Put, "/api/admin/sources/legacy", new
        {
            displayName = "Legacy", connectorType = "fax", access = "read", region = "eu-west", identityFields = new[] { "email" },
            categories = new[] { new { key = "contact.email", displayName = "Contact email", strategy = "delete" } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("connectorType", out _));
    }

    [Fact]
    public async Task Register_HttpSourceWithoutAddressOrSecret_Returns400NamingBoth()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        using var response = await Send(client, HttpMethod.Put, "/api/admin/sources/portal", new
        {
            displayName = "Recording portal", connectorType = "http", access = "read-write", region = "us-west", identityFields = new[] { "email" },
            connection = new Dictionary<string, string> { ["baseUrl"] = "not a url" },
            categories = new[] { new { key = "telephony.recording", displayName = "Telephony recording", strategy = "delete" } },
        });

        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("connection.baseUrl", out _));
        Assert.True(errors.TryGetProperty("connection.secret", out _));
    }

    [Fact]
    public async Task Register_HttpSourceWhoseSecretDoesNotResolve_IsSavedAndItsTestSaysWhy()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        await Send(client, HttpMethod.Put, "/api/admin/sources/portal", new
        {
            displayName = "Recording portal", connectorType = "http", access = "read-write", region = "us-west", identityFields = new[] { "email" },
            connection = new Dictionary<string, string> { ["baseUrl"] = "http://127.0.0.1:9/dr/", ["secret"] = "env:DATARIGHTS_SOURCE_TEST_SECRET_THAT_IS_NOT_SET" },
            secretSettings = new[] { "secret" },
            categories = new[] { new { key = "telephony.recording", displayName = "Telephony recording", strategy = "delete" } },
        });

        using var test = await Send(client, HttpMethod.Post, "/api/admin/sources/portal/test", new { });

        var result = await test.JsonAsync();
        Assert.False(result.GetProperty("reachable").GetBoolean());
        Assert.Contains("env:DATARIGHTS_SOURCE_TEST_SECRET_THAT_IS_NOT_SET could not be read", result.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_QueryOnAMissingTable_ReportsAPlainFailureWithoutTheDatabasesText()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        await Send(client, HttpMethod.Put, "/api/admin/sources/cards", Tickets("no_such_table"));

        using var test = await Send(client, HttpMethod.Post, "/api/admin/sources/cards/test", new { });

        var result = await test.JsonAsync();
        Assert.False(result.GetProperty("reachable").GetBoolean());
        Assert.Equal("database", result.GetProperty("error").GetString());
        Assert.DoesNotContain("no such table", result.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("no_such_table", result.GetRawText(), StringComparison.Ordinal);
        Assert.Contains(factory.Logs.Lines, l => l.Contains("Connection test of source cards failed: database (SQLite 1/1)", StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains("no_such_table", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deactivate_StopsTheFanOutToThatSource()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        await client.GetAsync("/healthz");

        using var delete = await Send(client, HttpMethod.Delete, "/api/admin/sources/billing", null);
        using var missing = await Send(client, HttpMethod.Delete, "/api/admin/sources/nope", null);

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var registry = (SourceRegistry)factory.Services.GetService(typeof(SourceRegistry))!;
        Assert.Equal(DemoSources.Registrations.Select(r => r.Key).Where(k => k != "billing").Order(StringComparer.Ordinal), registry.ActiveSources().Select(s => s.Key));
    }

    [Fact]
    public async Task SourcesApi_OutsideDevelopmentWithTheDevHeader_Returns401()
    {
        using var factory = new DataRightsFactory(environment: "Production");
        using var client = factory.CreateClient();

        using var response = await Send(client, HttpMethod.Get, "/api/admin/sources", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, object? body)
    {
        using var request = WorkflowEndToEndTests.Staff(method, path);
        if (body is not null)
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(body);
        }

        return await client.SendAsync(request);
    }
}
