using System.Net;
using System.Net.Http.Headers;
using DataRights.Host.Staff;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;

namespace DataRights.Integration.Tests.Azure;

/// <summary>The staff API behind Microsoft Entra ID bearer tokens (signed here with a local key; no network).</summary>
public sealed class EntraAuthenticationTests : IDisposable
{
    private readonly EntraTokens _tokens = new(new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero)));

    [Fact]
    public async Task AdminEndpoint_AdminToken_Returns200()
    {
        using var factory = _tokens.Factory();
        using var client = factory.CreateClient();

        using var response = await GetAsync(client, "/api/admin/sources", _tokens.Create([StaffRoles.Admin]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ApproverEndpoint_ApproverToken_Returns200()
    {
        using var factory = _tokens.Factory();
        using var client = factory.CreateClient();

        using var response = await GetAsync(client, "/api/admin/requests", _tokens.Create([StaffRoles.Approver]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task StaffEndpoint_NoToken_Returns401SayingHowToSignIn()
    {
        using var factory = _tokens.Factory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/api/admin/requests");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        var detail = (await response.JsonAsync()).GetProperty("detail").GetString();
        Assert.Contains("\"Authorization: Bearer <token>\"", detail, StringComparison.Ordinal);
        Assert.Contains("DataRights.Approver or DataRights.Admin", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminEndpoint_ApproverToken_Returns403()
    {
        using var factory = _tokens.Factory();
        using var client = factory.CreateClient();

        using var response = await GetAsync(client, "/api/admin/sources", _tokens.Create([StaffRoles.Approver]));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task StaffEndpoint_TokenWithoutAppRoles_Returns403()
    {
        using var factory = _tokens.Factory();
        using var client = factory.CreateClient();

        using var response = await GetAsync(client, "/api/admin/requests", _tokens.Create([]));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task StaffEndpoint_ExpiredToken_Returns401()
    {
        using var factory = _tokens.Factory();
        using var client = factory.CreateClient();

        // Expired an hour ago by the app's clock (well past the allowed skew).
        using var response = await GetAsync(client, "/api/admin/sources", _tokens.Create([StaffRoles.Admin], expiresIn: TimeSpan.FromHours(-1)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task StaffEndpoint_TokenExpiresWhileTheClockMoves_IsRefusedAfterwards()
    {
        using var factory = _tokens.Factory();
        using var client = factory.CreateClient();
        var token = _tokens.Create([StaffRoles.Admin], expiresIn: TimeSpan.FromMinutes(10));

        using var before = await GetAsync(client, "/api/admin/sources", token);
        _tokens.Clock.Advance(TimeSpan.FromMinutes(15));
        using var after = await GetAsync(client, "/api/admin/sources", token);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task StaffEndpoint_WrongAudience_Returns401()
    {
        using var factory = _tokens.Factory();
        using var client = factory.CreateClient();

        using var response = await GetAsync(client, "/api/admin/sources", _tokens.Create([StaffRoles.Admin], audience: "api://some-other-api"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task StaffEndpoint_WrongIssuer_Returns401()
    {
        using var factory = _tokens.Factory();
        using var client = factory.CreateClient();

        // A real Entra ID issuer, but another tenant's.
        using var response = await GetAsync(client, "/api/admin/sources", _tokens.Create(
            [StaffRoles.Admin], issuer: "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task StaffEndpoint_TokenAboutAnotherTenant_Returns401()
    {
        using var factory = _tokens.Factory();
        using var client = factory.CreateClient();

        // Our tenant's issuer and key, but another tenant's tid: single tenant means the tid must be ours.
        using var response = await GetAsync(client, "/api/admin/sources", _tokens.Create([StaffRoles.Admin], tenant: "11111111-2222-3333-4444-555555555555"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task StaffEndpoint_WrongSignature_Returns401()
    {
        using var factory = _tokens.Factory();
        using var client = factory.CreateClient();

        using var response = await GetAsync(client, "/api/admin/sources", _tokens.Create([StaffRoles.Admin], wrongKey: true));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task StaffEndpoint_TamperedToken_Returns401()
    {
        using var factory = _tokens.Factory();
        using var client = factory.CreateClient();
        var parts = _tokens.Create([StaffRoles.Approver]).Split('.');
        var upgraded = _tokens.Create([StaffRoles.Admin]).Split('.');

        // An Approver's signature on an Admin's claims.
        using var response = await GetAsync(client, "/api/admin/sources", $"{parts[0]}.{upgraded[1]}.{parts[2]}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task StaffEndpoint_NoToken_Returns401WithABearerChallenge()
    {
        using var factory = _tokens.Factory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/api/admin/sources", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task DevHeader_InDevelopmentWithEntraConfigured_StillSignsIn()
    {
        using var factory = _tokens.Factory(environment: "Development");
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/sources");
        request.Headers.Add(DevUserAuthenticationHandler.HeaderName, "Priya Officer");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task DevHeader_InProductionWithEntraConfigured_IsIgnored()
    {
        using var factory = _tokens.Factory(environment: "Production");
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/sources");
        request.Headers.Add(DevUserAuthenticationHandler.HeaderName, "Mallory");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task BearerToken_WithoutEntraConfigured_SignsNobodyIn()
    {
        using var factory = new Infrastructure.DataRightsFactory(environment: "Production") { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient();

        using var response = await GetAsync(client, "/api/admin/sources", _tokens.Create([StaffRoles.Admin]));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task StaffAction_WithToken_IsAuditedUnderTheTokensName()
    {
        using var factory = _tokens.Factory();
        using var client = factory.CreateClient();
        var id = await Workflow.WorkflowEndToEndTests.SubmitAsync(client, factory.Services);
        using var verify = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/requests/{id}/verify") { Content = System.Net.Http.Json.JsonContent.Create(new { note = "phone call" }) };
        verify.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokens.Create([StaffRoles.Approver], name: "Ana Approver"));
        using var verified = await client.SendAsync(verify);
        Assert.True(verified.IsSuccessStatusCode, await verified.Content.ReadAsStringAsync());

        using var audit = await GetAsync(client, $"/api/admin/requests/{id}/audit", _tokens.Create([StaffRoles.Approver]));

        Assert.Contains("staff:Ana Approver", await audit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    public void Dispose() => _tokens.Dispose();
}
