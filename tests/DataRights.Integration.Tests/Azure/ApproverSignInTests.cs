using System.Net;
using System.Net.Http.Headers;
using DataRights.Host.Staff;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.Azure;

/// <summary>DataRights:Links:ApproverSignInRequired: the emailed approval page decides only for a signed-in approver it was sent to.</summary>
public sealed class ApproverSignInTests : IDisposable
{
    private readonly EntraTokens _tokens = new(new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero)));

    [Fact]
    public async Task ApprovalPost_SwitchOff_TheLinkAloneDecides()
    {
        using var factory = NewFactory(required: false);
        using var client = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, client);

        using var response = await PostDecisionAsync(factory, client, token: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual("awaiting_approval", await StatusOfAsync(client, id));
    }

    [Fact]
    public async Task ApprovalPost_SwitchOnAndNotSignedIn_IsRefusedWithAPageAndChangesNothing()
    {
        using var factory = NewFactory(required: true);
        using var client = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, client);

        using var response = await PostDecisionAsync(factory, client, token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Sign in to record this decision", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("awaiting_approval", await StatusOfAsync(client, id));
    }

    [Fact]
    public async Task ApprovalPage_SwitchOn_SaysSignInIsRequired()
    {
        using var factory = NewFactory(required: true);
        using var client = factory.CreateClient();
        await SubmitAndVerifyAsync(factory, client);

        var page = await client.GetStringAsync(ApprovalPath(factory));

        Assert.Contains("signed in with their work account", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApprovalPost_SwitchOnAndSignedInAsTheApproverItWasSentTo_Decides()
    {
        using var factory = NewFactory(required: true);
        using var client = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, client);

        using var response = await PostDecisionAsync(factory, client, _tokens.Create([StaffRoles.Approver], email: "Approver@Example.com"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual("awaiting_approval", await StatusOfAsync(client, id));
    }

    [Fact]
    public async Task ApprovalPost_SwitchOnAndSignedInAsAnotherApprover_IsRefused()
    {
        using var factory = NewFactory(required: true);
        using var client = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, client);

        using var response = await PostDecisionAsync(factory, client, _tokens.Create([StaffRoles.Approver], email: "someone.else@example.com"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("awaiting_approval", await StatusOfAsync(client, id));
    }

    [Theory]
    [InlineData("name")]
    [InlineData("email")]
    public async Task ApprovalPost_SwitchOnAndOnlyADisplayNameOrMailClaimIsTheRecipients_IsRefused(string claim)
    {
        using var factory = NewFactory(required: true);
        using var client = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, client);

        // Another approver whose display name, or unverified mail attribute, reads as the address the link was sent to.
        var token = _tokens.Create([StaffRoles.Approver], name: claim == "name" ? "approver@example.com" : "Sam Other", email: "someone.else@example.com",
            extra: claim == "email" ? new Dictionary<string, string> { ["email"] = "approver@example.com" } : null);
        using var response = await PostDecisionAsync(factory, client, token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("awaiting_approval", await StatusOfAsync(client, id));
    }

    [Fact]
    public async Task ApprovalPost_SwitchOnAndSignedInWithoutTheApproverRole_IsRefused()
    {
        using var factory = NewFactory(required: true);
        using var client = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, client);

        using var response = await PostDecisionAsync(factory, client, _tokens.Create([], email: "approver@example.com"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("awaiting_approval", await StatusOfAsync(client, id));
    }

    private DataRightsFactory NewFactory(bool required) =>
        _tokens.Factory(environment: "Development", settings: new Dictionary<string, string?>
        {
            ["DataRights:Links:ApproverSignInRequired"] = required ? "true" : "false",
        });

    private static string ApprovalPath(DataRightsFactory factory) =>
        factory.Outbox.Single(m => m.To == "approver@example.com").PathOfLink("/approve/");

    private static async Task<HttpResponseMessage> PostDecisionAsync(DataRightsFactory factory, HttpClient client, string? token)
    {
        // The page and its post carry the same sign-in, as a signed-in browser would (the anti-forgery token is bound to the user).
        var path = ApprovalPath(factory);
        using var get = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            get.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var page = await client.SendAsync(get);
        var csrf = Forms.CsrfToken(await page.Content.ReadAsStringAsync());
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent([new("decision", "approve"), new("__csrf", csrf)]),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await client.SendAsync(request);
    }

    // The status as staff see it, read with the Development header (the factory runs in Development).
    private static Task<string> StatusOfAsync(HttpClient client, string id) => StatusAsync(client, id);

    public void Dispose() => _tokens.Dispose();
}
