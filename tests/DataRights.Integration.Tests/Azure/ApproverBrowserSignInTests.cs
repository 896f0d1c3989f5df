using System.Net;
using DataRights.Host.Staff;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.Azure;

/// <summary>
/// Browser sign-in of approvers (Microsoft.Identity.Web: OpenID Connect code flow with PKCE) against a fake Entra ID
/// tenant on a loopback port over https (a certificate made by the test, trusted by the host's Entra HttpClient only),
/// through the real program over the in-memory server (https, so the cookies are Secure as in production).
/// </summary>
public sealed class ApproverBrowserSignInTests : IAsyncLifetime
{
    private const string SignInButton = "Sign in with your work account";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero));
    private FakeOpenIdProvider _provider = null!;

    public async Task InitializeAsync() => _provider = await FakeOpenIdProvider.StartAsync(_clock);

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    [Fact]
    public async Task ApprovalPage_NoCookie_ShowsTheSignInButtonAndThePostIsRefused()
    {
        using var factory = NewFactory();
        using var client = NewClient(factory);
        var id = await SubmitAndVerifyAsync(factory, client);

        var page = await client.GetStringAsync(ApprovalPath(factory));
        using var response = await PostDecisionAsync(factory, client);

        Assert.Contains(SignInButton, page, StringComparison.Ordinal);
        Assert.Contains("/signin?returnUrl=%2Fapprove%2F", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Sign in to record this decision", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("awaiting_approval", await StatusAsync(client, id));
    }

    [Fact]
    public async Task SignIn_RoundTrip_SetsTheCookieAndTheApprovalIsRecordedForTheApprover()
    {
        using var factory = NewFactory();
        using var client = NewClient(factory);
        var id = await SubmitAndVerifyAsync(factory, client);
        var path = ApprovalPath(factory);

        using var start = await client.GetAsync("/signin?returnUrl=" + Uri.EscapeDataString(path));
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var authorize = start.Headers.Location!;
        Assert.StartsWith(_provider.BaseUrl + "/" + FakeOpenIdProvider.TenantId + "/oauth2/v2.0/authorize?", authorize.ToString(), StringComparison.Ordinal);
        var correlation = Assert.Single(start.Headers.GetValues("Set-Cookie"), c => c.StartsWith(ApproverSignIn.CorrelationCookieName, StringComparison.Ordinal));
        Assert.Contains("httponly", correlation, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", correlation, StringComparison.OrdinalIgnoreCase);
        using var callback = await client.GetAsync(await _provider.AuthorizeAsync(authorize));

        var sent = _provider.LastAuthorize;
        Assert.Equal("openid profile email", sent["scope"]);
        Assert.Equal("S256", sent["code_challenge_method"]);
        Assert.Equal("https://localhost/signin/callback", sent["redirect_uri"]);
        Assert.False(string.IsNullOrEmpty(sent["nonce"]));
        Assert.DoesNotContain(path, authorize.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal(path, callback.Headers.Location!.OriginalString);
        var cookie = Assert.Single(callback.Headers.GetValues("Set-Cookie"), c => c.StartsWith(ApproverSignIn.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("approver@example.com", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Priya", cookie, StringComparison.Ordinal);
        Assert.Contains(callback.Headers.GetValues("Set-Cookie"), c => c.StartsWith(ApproverSignIn.CorrelationCookieName, StringComparison.Ordinal)
            && c.Contains("=;", StringComparison.Ordinal) && c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));

        var page = await client.GetStringAsync(path);
        Assert.Contains("Signed in as Priya Officer (approver@example.com)", page, StringComparison.Ordinal);
        Assert.DoesNotContain(SignInButton, page, StringComparison.Ordinal);

        using var decided = await PostDecisionAsync(factory, client);
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        var recorded = await decided.Content.ReadAsStringAsync();
        Assert.Contains("Decision recorded", recorded, StringComparison.Ordinal);

        // Where the request stands, in the words staff read, not its internal status.
        Assert.Matches(@"Where DR-\d{4}-\d{6} stands now: (Being carried out|Completed)\.", recorded);
        Assert.NotEqual("awaiting_approval", await StatusAsync(client, id));
        var trail = (await client.SendAsync(Workflow.WorkflowEndToEndTests.Staff(HttpMethod.Get, $"/api/admin/requests/{id}/audit"))).JsonAsync();
        Assert.Contains((await trail).GetProperty("entries").EnumerateArray(), e => e.GetProperty("actor").GetString() == "approver:approver@example.com");
        Assert.All(factory.Logs.Lines, line =>
        {
            Assert.DoesNotContain("Priya Officer", line, StringComparison.Ordinal);
            Assert.DoesNotContain(FakeOpenIdProvider.ClientSecret, line, StringComparison.Ordinal);
        });
        Assert.Contains(factory.Logs.Lines, line => line.Contains("signed in with their work account", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApprovalPost_SignedInAsSomeoneElse_IsRefusedWithA403Page()
    {
        _provider.Email = "someone.else@example.com";
        using var factory = NewFactory();
        using var client = NewClient(factory);
        var id = await SubmitAndVerifyAsync(factory, client);
        await SignInAsync(client, ApprovalPath(factory));

        using var response = await PostDecisionAsync(factory, client);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("This link is for someone else", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("awaiting_approval", await StatusAsync(client, id));
    }

    [Fact]
    public async Task ApprovalPost_SignedInWithoutTheApproverRole_IsRefusedWithA403Page()
    {
        _provider.Roles = [];
        using var factory = NewFactory();
        using var client = NewClient(factory);
        var id = await SubmitAndVerifyAsync(factory, client);
        await SignInAsync(client, ApprovalPath(factory));

        using var response = await PostDecisionAsync(factory, client);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("awaiting_approval", await StatusAsync(client, id));
    }

    [Fact]
    public async Task ApprovalPost_SignedInAsAdmin_Decides()
    {
        _provider.Roles = [StaffRoles.Admin];
        using var factory = NewFactory();
        using var client = NewClient(factory);
        var id = await SubmitAndVerifyAsync(factory, client);
        await SignInAsync(client, ApprovalPath(factory));

        using var response = await PostDecisionAsync(factory, client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual("awaiting_approval", await StatusAsync(client, id));
    }

    public static TheoryData<string> BadIdTokens => ["wrong-nonce", "wrong-audience", "wrong-issuer", "wrong-tenant", "expired", "bad-signature"];

    [Theory]
    [MemberData(nameof(BadIdTokens))]
    public async Task Callback_BadIdToken_IsRefusedAndChangesNothing(string fault)
    {
        switch (fault)
        {
            case "wrong-nonce": _provider.NonceOverride = "not-the-nonce-we-sent"; break;
            case "wrong-audience": _provider.AudienceOverride = "9a9a9a9a-0000-4000-8000-000000000000"; break;
            case "wrong-issuer": _provider.IssuerOverride = "https://login.microsoftonline.com/" + FakeOpenIdProvider.TenantId + "/v2.0"; break;
            // The tenant's own issuer and keys, but a token about another tenant's user.
            case "wrong-tenant": _provider.TenantOverride = "11111111-2222-3333-4444-555555555555"; break;
            // Expired ten minutes ago on the app's clock (beyond the two minutes of skew).
            case "expired": _provider.Lifetime = TimeSpan.FromMinutes(-10); break;
            default: _provider.SignWithOtherKey = true; break;
        }

        await AssertRefusedAsync(
            async (factory, client, path) =>
            {
                using var start = await client.GetAsync("/signin?returnUrl=" + Uri.EscapeDataString(path));
                return await client.GetAsync(await _provider.AuthorizeAsync(start.Headers.Location!));
            },
            fault switch { "wrong-nonce" => "nonce_mismatch", "wrong-tenant" => "wrong_tenant", _ => "id_token_invalid" });
    }

    [Fact]
    public async Task Callback_TamperedState_IsRefusedAndChangesNothing() =>
        await AssertRefusedAsync(async (factory, client, path) =>
        {
            using var start = await client.GetAsync("/signin?returnUrl=" + Uri.EscapeDataString(path));
            var callback = await _provider.AuthorizeAsync(start.Headers.Location!);
            return await client.GetAsync(callback.Replace("state=", "state=x", StringComparison.Ordinal));
        }, "state_mismatch");

    [Fact]
    public async Task Callback_WithoutTheCorrelationCookie_IsRefused() =>
        await AssertRefusedAsync(async (factory, client, path) =>
        {
            using var start = await client.GetAsync("/signin?returnUrl=" + Uri.EscapeDataString(path));
            var callback = await _provider.AuthorizeAsync(start.Headers.Location!);
            // Another browser (no correlation cookie) arriving with the code and state.
            using var other = NewClient(factory);
            return await other.GetAsync(callback);
        }, "no_correlation");

    [Fact]
    public async Task Callback_TooLate_IsRefused() =>
        await AssertRefusedAsync(async (factory, client, path) =>
        {
            using var start = await client.GetAsync("/signin?returnUrl=" + Uri.EscapeDataString(path));
            var callback = await _provider.AuthorizeAsync(start.Headers.Location!);
            _clock.Advance(TimeSpan.FromMinutes(11));
            return await client.GetAsync(callback);
        }, "correlation_expired");

    [Fact]
    public async Task Callback_ReplayedCode_IsRefusedAndChangesNothing()
    {
        // A first browser signs in; its code is redeemed. A second browser replays that code with a sign-in of its own.
        using var factory = NewFactory();
        using var first = NewClient(factory);
        var id = await SubmitAndVerifyAsync(factory, first);
        var path = ApprovalPath(factory);
        using var start = await first.GetAsync("/signin?returnUrl=" + Uri.EscapeDataString(path));
        var callback = await _provider.AuthorizeAsync(start.Headers.Location!);
        using (var done = await first.GetAsync(callback))
        {
            Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        }

        using var client = NewClient(factory);
        using var again = await first.GetAsync(callback);
        using var secondStart = await client.GetAsync("/signin?returnUrl=" + Uri.EscapeDataString(path));
        var ownState = QueryValue(secondStart.Headers.Location!, "state");
        using var replay = await client.GetAsync("/signin/callback?code=" + Uri.EscapeDataString(QueryValue(new Uri("https://localhost" + callback), "code")) + "&state=" + Uri.EscapeDataString(ownState));

        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Contains("invalid_grant: code", _provider.Refusals);
        Assert.False(SetsApproverCookie(replay));
        using var refused = await PostDecisionAsync(factory, client);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("awaiting_approval", await StatusAsync(client, id));
    }

    [Theory]
    [InlineData("https://evil.example/approve/x")]
    [InlineData("//evil.example/approve/x")]
    [InlineData("/\\evil.example/approve/x")]
    [InlineData("approve/x")]
    [InlineData("")]
    public async Task SignIn_ReturnUrlNotALocalPath_IsRefused(string returnUrl)
    {
        using var factory = NewFactory();
        using var client = NewClient(factory);

        using var response = await client.GetAsync("/signin?returnUrl=" + Uri.EscapeDataString(returnUrl));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(ApproverSignIn.CorrelationCookieName, StringComparison.Ordinal)));
        Assert.Contains("We could not sign you in", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOut_ClearsTheCookie()
    {
        using var factory = NewFactory();
        using var client = NewClient(factory);
        var id = await SubmitAndVerifyAsync(factory, client);
        var path = ApprovalPath(factory);
        await SignInAsync(client, path);
        var page = await client.GetStringAsync(path);
        Assert.Contains("Signed in as", page, StringComparison.Ordinal);

        using var noToken = await client.PostAsync("/signout", new FormUrlEncodedContent([new("returnUrl", path)]));
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Contains("Signed in as", await client.GetStringAsync(path), StringComparison.Ordinal);

        using var signOut = await client.PostAsync("/signout", new FormUrlEncodedContent([new("returnUrl", path), new("__csrf", Forms.CsrfToken(page))]));

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(path, signOut.Headers.Location!.OriginalString);
        Assert.Contains(signOut.Headers.GetValues("Set-Cookie"), c => c.StartsWith(ApproverSignIn.CookieName + "=;", StringComparison.Ordinal) && c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));
        var after = await client.GetStringAsync(path);
        Assert.Contains(SignInButton, after, StringComparison.Ordinal);
        using var refused = await PostDecisionAsync(factory, client);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("awaiting_approval", await StatusAsync(client, id));
    }

    [Fact]
    public async Task Cookie_AfterItsLifetime_NoLongerSignsIn()
    {
        using var factory = NewFactory();
        using var client = NewClient(factory);
        await SubmitAndVerifyAsync(factory, client);
        var path = ApprovalPath(factory);
        await SignInAsync(client, path);

        _clock.Advance(TimeSpan.FromHours(8) + TimeSpan.FromMinutes(1));

        Assert.Contains(SignInButton, await client.GetStringAsync(path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrowserSignIn_WithoutAClientSecret_IsOffAndTheFormerBehaviourStays()
    {
        var settings = _provider.Settings(withClientSecret: false);
        using var factory = new DataRightsFactory("Development", settings, clock: _clock) { Sources = new InMemorySourceRegistry() };
        using var client = NewClient(factory);
        var id = await SubmitAndVerifyAsync(factory, client);

        var page = await client.GetStringAsync(ApprovalPath(factory));
        using var signIn = await client.GetAsync("/signin?returnUrl=%2F");
        using var response = await PostDecisionAsync(factory, client);

        Assert.DoesNotContain(SignInButton, page, StringComparison.Ordinal);
        Assert.Contains("signed in with their work account", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("awaiting_approval", await StatusAsync(client, id));
    }

    [Fact]
    public async Task SignIn_ProviderUnreachable_SaysSoAndChangesNothing()
    {
        var settings = _provider.Settings();
        settings["DataRights:Entra:Instance"] = "https://127.0.0.1:9/";
        using var factory = NewFactory(settings);
        using var client = NewClient(factory);
        var id = await SubmitAndVerifyAsync(factory, client);

        using var response = await client.GetAsync("/signin?returnUrl=" + Uri.EscapeDataString(ApprovalPath(factory)));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Sign-in is not available just now", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("awaiting_approval", await StatusAsync(client, id));
    }

    [Theory]
    [InlineData("DataRights:Entra:ClientSecret", "the-secret-itself", "DataRights:Entra:ClientSecret must be a secret reference")]
    [InlineData("DataRights:Entra:ClientId", "", "DataRights:Entra:ClientSecret (browser sign-in of approvers) needs")]
    [InlineData("DataRights:Entra:SignInLifetime", "2.00:00:00", "DataRights:Entra:SignInLifetime must be between")]
    [InlineData("DataRights:Entra:Instance", "http://login.example.com/", "DataRights:Entra:Instance must be an https address")]
    public void Start_BadSignInSetting_FailsNamingTheSetting(string key, string value, string message)
    {
        // The registration Program.cs uses; ValidateOnStart runs this validator before the server starts
        // (as in HostingTests: through WebApplicationFactory a failed start races with the factory's disposal).
        var settings = _provider.Settings();
        settings[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddStaffAuthentication().BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<EntraOptions>>().Value);

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_SignInSettingsOfTheFakeProvider_AreValid()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(_provider.Settings()).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddStaffAuthentication().BuildServiceProvider();

        Assert.True(services.GetRequiredService<IOptions<EntraOptions>>().Value.BrowserSignInEnabled);
    }

    [Fact]
    public async Task StaffConsole_SignsInWithEntraId_AndOpensInTheApproversName()
    {
        using var factory = NewFactory();
        using var client = NewClient(factory);

        using var inbox = await client.GetAsync("/staff?overdue=yes");
        using var signIn = await client.GetAsync(inbox.Headers.Location!.OriginalString);
        await SignInAsync(client, "/staff?overdue=yes");
        using var signedIn = await client.GetAsync("/staff?overdue=yes");

        Assert.Equal("/staff/signin?returnUrl=%2Fstaff%3Foverdue%3Dyes", inbox.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/signin?returnUrl=%2Fstaff%3Foverdue%3Dyes", signIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Contains("Priya Officer (approver)", await signedIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaffConsole_EntraSignInWithoutARole_IsRefused()
    {
        _provider.Roles = [];
        using var factory = NewFactory();
        using var client = NewClient(factory);

        await SignInAsync(client, "/staff");
        using var inbox = await client.GetAsync("/staff");

        Assert.Equal(HttpStatusCode.Forbidden, inbox.StatusCode);
        Assert.Contains("The privacy console is for approvers and administrators", await inbox.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private DataRightsFactory NewFactory() => NewFactory(_provider.Settings());

    private DataRightsFactory NewFactory(Dictionary<string, string?> settings) =>
        new("Development", settings, clock: _clock)
        {
            Sources = new InMemorySourceRegistry(),
            ConfigureServices = services => services.AddHttpClient(StaffAuthenticationExtensions.EntraHttpClientName)
                .ConfigurePrimaryHttpMessageHandler(() => _provider.TrustingHandler()),
        };

    private static HttpClient NewClient(DataRightsFactory factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost") });

    private async Task SignInAsync(HttpClient client, string returnUrl)
    {
        using var start = await client.GetAsync("/signin?returnUrl=" + Uri.EscapeDataString(returnUrl));
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        using var callback = await client.GetAsync(await _provider.AuthorizeAsync(start.Headers.Location!));
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.True(SetsApproverCookie(callback));
    }

    /// <summary>Runs a sign-in that must fail: a 400 page, no cookie, and the approval still refused and undecided.</summary>
    private async Task AssertRefusedAsync(Func<DataRightsFactory, HttpClient, string, Task<HttpResponseMessage>> attempt, string reason)
    {
        using var factory = NewFactory();
        using var client = NewClient(factory);
        var id = await SubmitAndVerifyAsync(factory, client);
        var path = ApprovalPath(factory);

        using var response = await attempt(factory, client, path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("We could not sign you in", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(SetsApproverCookie(response));
        Assert.Contains(SignInButton, await client.GetStringAsync(path), StringComparison.Ordinal);
        using var refused = await PostDecisionAsync(factory, client);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("awaiting_approval", await StatusAsync(client, id));
        Assert.Contains(factory.Logs.Lines, line => line.Contains("sign-in was refused: " + reason, StringComparison.Ordinal));
    }

    private static bool SetsApproverCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
        && cookies.Any(c => c.StartsWith(ApproverSignIn.CookieName + "=", StringComparison.Ordinal) && !c.StartsWith(ApproverSignIn.CookieName + "=;", StringComparison.Ordinal));

    private static string QueryValue(Uri uri, string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query)[name].ToString();

    private static string ApprovalPath(DataRightsFactory factory) =>
        factory.Outbox.Single(m => m.To == "approver@example.com").PathOfLink("/approve/");

    private static async Task<HttpResponseMessage> PostDecisionAsync(DataRightsFactory factory, HttpClient client)
    {
        var path = ApprovalPath(factory);
        var page = await client.GetStringAsync(path);
        return await client.PostAsync(path, new FormUrlEncodedContent([new("decision", "approve"), new("__csrf", Forms.CsrfToken(page))]));
    }
}
