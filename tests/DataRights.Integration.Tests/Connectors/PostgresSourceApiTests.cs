using System.Net;
using System.Net.Http.Json;
using DataRights.Core.Sources;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Connectors.Postgres;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Integration.Tests.Workflow;

namespace DataRights.Integration.Tests.Connectors;

/// <summary>A <c>postgres</c> source registered through the staff API: the real registry builds its connector, resolving the password reference.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSourceApiTests(PostgresFixture postgres) : IAsyncDisposable
{
    private PostgresDemoSource? _source;

    public async ValueTask DisposeAsync()
    {
        if (_source is not null)
        {
            await _source.DisposeAsync();
        }
    }

    [Fact]
    public async Task Register_PostgresSource_IsTestableAndFindsThePerson()
    {
        _source = await PostgresDemo.CreateAsync(postgres.Server);
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        await client.GetAsync("/healthz");

        using var put = await SendAsync(client, HttpMethod.Put, "/api/admin/sources/billing-pg", _source.Registration);
        using var test = await SendAsync(client, HttpMethod.Post, "/api/admin/sources/billing-pg/test", new { });
        var registry = (SourceRegistry)factory.Services.GetService(typeof(SourceRegistry))!;
        var found = await registry.Connector("billing-pg")!.DiscoverAsync(SourceCall.For(PostgresDemo.Person(9)), CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.True((await test.JsonAsync()).GetProperty("reachable").GetBoolean());
        Assert.Equal(["billing.invoice", "billing.payment_card", "contact.email", "marketing.subscription"], found.Categories);
    }

    [Fact]
    public async Task Register_PostgresWithoutHostOrPassword_Returns400NamingBoth()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var registration = PostgresDemo.Registration(postgres.Server.Port, "postgres");
        var connection = registration.Connection.Where(p => p.Key is not ("host" or "password")).ToDictionary();

        using var response = await SendAsync(client, HttpMethod.Put, "/api/admin/sources/billing-pg", registration with { Connection = connection, SecretSettings = [] });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("connection.host", out _));
        Assert.True(errors.TryGetProperty("connection.password", out _));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, object body)
    {
        using var request = WorkflowEndToEndTests.Staff(method, path);
        request.Content = JsonContent.Create(body);
        return await client.SendAsync(request);
    }
}
