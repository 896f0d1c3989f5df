using System.Net;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.Email;

public sealed class DevMailTests
{
    [Fact]
    public async Task DevMail_InDevelopment_ListsMessagesNewestFirstWithClickableLinks()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient();
        await SubmitAsync(client, factory.Services, "first@example.com");
        await factory.DrainAsync();
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await SubmitAsync(client, factory.Services, "second@example.com");
        await factory.DrainAsync();

        var json = await (await client.GetAsync("/dev/mail.json")).JsonAsync();
        var list = await client.GetStringAsync("/dev/mail");

        Assert.Equal(2, json.GetArrayLength());
        Assert.Equal("second@example.com", json[0].GetProperty("to").GetString());
        Assert.Contains("/verify/", json[0].GetProperty("links")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("DR-2026-000002", json[0].GetProperty("subject").GetString(), StringComparison.Ordinal);
        Assert.True(list.IndexOf("DR-2026-000002", StringComparison.Ordinal) < list.IndexOf("DR-2026-000001", StringComparison.Ordinal));

        var message = await client.GetStringAsync("/dev/mail/" + json[0].GetProperty("file").GetString());
        Assert.Contains("<a href=\"http://localhost:7071/verify/", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevMail_OutsideDevelopment_DoesNotExist()
    {
        using var factory = new DataRightsFactory(environment: "Production") { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient();
        await SubmitAsync(client, factory.Services);
        await factory.DrainAsync();

        using var page = await client.GetAsync("/dev/mail");
        using var json = await client.GetAsync("/dev/mail.json");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, json.StatusCode);
    }

    [Fact]
    public async Task DevMail_PathOutsideTheOutbox_IsNotFound()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/dev/mail/..%2Fdatarights.db");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
