using System.Net;
using DataRights.Integration.Tests.Infrastructure;

namespace DataRights.Integration.Tests.Staff;

public sealed class AuditTrailTests
{
    private const string DevUserHeader = "X-DataRights-Dev-User";

    [Fact]
    public async Task AuditTrail_AfterIntake_HasTheReceivedEntryAndAValidChain()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var id = await SubmitAsync(client, factory.Services);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/admin/requests/{id}/audit");
        request.Headers.Add(DevUserHeader, "Priya Officer");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var trail = await response.JsonAsync();
        Assert.True(trail.GetProperty("chainValid").GetBoolean());
        var entries = trail.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["request.received", "verification.requested", "clock.paused"], entries.Select(e => e.GetProperty("action").GetString()));
        var entry = entries[0];
        Assert.Equal("received", entry.GetProperty("toStatus").GetString());
        Assert.Equal("requester:api", entry.GetProperty("actor").GetString());
        Assert.Equal(new string('0', 64), entry.GetProperty("previousHash").GetString());
        Assert.All(entries, e => Assert.DoesNotContain("jane", e.ToString(), StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task AuditTrail_TamperedInTheTable_IsReportedBroken()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var id = await SubmitAsync(client, factory.Services);
        Assert.True(await factory.Stored.TamperAuditAsync(id, row => row["Actor"] = "staff:someone-else") > 0);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/admin/requests/{id}/audit");
        request.Headers.Add(DevUserHeader, "Priya Officer");
        using var response = await client.SendAsync(request);

        var trail = await response.JsonAsync();
        Assert.False(trail.GetProperty("chainValid").GetBoolean());
        Assert.Equal(1, trail.GetProperty("firstBrokenSequence").GetInt64());
    }

    [Fact]
    public async Task AuditTrail_EntriesDeletedInTheTable_IsReportedBroken()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var id = await SubmitAsync(client, factory.Services);
        Assert.True(await factory.Stored.DeleteAuditAsync(id) > 0);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/admin/requests/{id}/audit");
        request.Headers.Add(DevUserHeader, "Priya Officer");
        using var response = await client.SendAsync(request);

        var trail = await response.JsonAsync();
        Assert.False(trail.GetProperty("chainValid").GetBoolean());
        Assert.Equal(0, trail.GetProperty("entryCount").GetInt32());
    }

    [Fact]
    public async Task StaffApi_WithoutSignIn_Returns401()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var id = await SubmitAsync(client, factory.Services);

        using var response = await client.GetAsync($"/api/admin/requests/{id}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("jane", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task StaffApi_WithoutSignIn_SaysHowToSignIn()
    {
        using var factory = new DataRightsFactory();
        using var production = new DataRightsFactory(environment: "Production");

        using var local = await factory.CreateClient().GetAsync("/api/admin/requests");
        using var deployed = await production.CreateClient().GetAsync("/api/admin/requests");

        Assert.Equal("application/problem+json", local.Content.Headers.ContentType?.MediaType);
        var localDetail = (await local.JsonAsync()).GetProperty("detail").GetString();
        var deployedDetail = (await deployed.JsonAsync()).GetProperty("detail").GetString();
        Assert.Contains("X-DataRights-Dev-User: <your name>", localDetail, StringComparison.Ordinal);
        Assert.DoesNotContain("X-DataRights-Dev-User", deployedDetail, StringComparison.Ordinal);
        Assert.Contains("Microsoft Entra ID", deployedDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaffApi_DevHeaderOutsideDevelopment_IsIgnored()
    {
        using var factory = new DataRightsFactory(environment: "Production");
        using var client = factory.CreateClient();
        var id = await SubmitAsync(client, factory.Services);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/admin/requests/{id}");
        request.Headers.Add(DevUserHeader, "Mallory");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task StaffApi_DevHeaderInDevelopment_ReturnsTheRequestWithPersonalData()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var id = await SubmitAsync(client, factory.Services);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/admin/requests/{id}");
        request.Headers.Add(DevUserHeader, "Priya Officer");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("jane.doe@example.com", body.GetProperty("email").GetString());
        Assert.Equal("ACC-1001", body.GetProperty("accountReference").GetString());
    }

    [Fact]
    public async Task StaffApi_UnknownRequest_Returns404ProblemJson()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/requests/dr_000000000000000000000000/audit");
        request.Headers.Add(DevUserHeader, "Priya Officer");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<string> SubmitAsync(HttpClient client, IServiceProvider services)
    {
        using var response = await client.PostJsonAsync(Submissions.Valid());
        return await services.WaitingIdAsync("jane.doe@example.com");
    }
}
