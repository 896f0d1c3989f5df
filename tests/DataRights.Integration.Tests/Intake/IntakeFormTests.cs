using System.Net;
using DataRights.Core.Requests;
using DataRights.Integration.Tests.Infrastructure;

namespace DataRights.Integration.Tests.Intake;

/// <summary>The HTML form over HTTP, as a browser without JavaScript uses it (cookies kept by the test client).</summary>
public sealed partial class IntakeFormTests
{
    [Fact]
    public async Task Form_Get_ShowsOperatorContactAndAntiForgeryField()
    {
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?>
        {
            ["DataRights:OperatorName"] = "Acme Voice & Data <Ltd>",
            ["DataRights:PrivacyContactEmail"] = "dpo@acme.example",
        });
        using var client = factory.CreateClient();

        var html = await client.GetStringAsync("/");

        Assert.Contains("Acme Voice &amp; Data &lt;Ltd&gt;", html, StringComparison.Ordinal);
        Assert.Contains("dpo@acme.example", html, StringComparison.Ordinal);
        Assert.Matches(Forms.CsrfField(), html);
        Assert.Contains("<label for=\"email\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Form_PostWithToken_StoresTheRequest_AndSaysCheckYourEmail_WithoutTheReferenceOrLink()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var token = await GetTokenAsync(client);

        using var response = await client.PostAsync("/", Form(token, ("type", "access"), ("fullName", "Sam Smith"), ("email", "sam@example.com"), ("jurisdiction", "UK")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Check your email", html, StringComparison.Ordinal);
        Assert.DoesNotContain("DR-2026-000001", html, StringComparison.Ordinal);
        Assert.DoesNotContain("/status/", html, StringComparison.Ordinal);
        Assert.DoesNotContain("sam@example.com", html, StringComparison.Ordinal);
        var request = await factory.Stored.SingleRequestAsync();
        Assert.Equal("web_form", request.Channel.Name());
        Assert.Equal("DR-2026-000001", request.Reference);
    }

    [Fact]
    public async Task Form_PostWithoutToken_IsRefusedAndStoresNothing()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        using var response = await client.PostAsync("/", Form(null, ("type", "access"), ("fullName", "Sam Smith"), ("email", "sam@example.com")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Nothing was saved", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await factory.Stored.RequestCountAsync());
    }

    [Fact]
    public async Task Form_PostWithTokenFromAnotherBrowser_IsRefused()
    {
        using var factory = new DataRightsFactory();
        using var attacker = factory.CreateClient();
        using var victim = factory.CreateClient();
        var attackerToken = await GetTokenAsync(attacker);
        await GetTokenAsync(victim);

        using var response = await victim.PostAsync("/", Form(attackerToken, ("type", "erasure"), ("fullName", "Sam Smith"), ("email", "sam@example.com")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await factory.Stored.RequestCountAsync());
    }

    [Fact]
    public async Task Form_PostWithErrors_ShowsSummaryKeepsValuesEscapedAndStoresNothing()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var token = await GetTokenAsync(client);

        using var response = await client.PostAsync("/", Form(token, ("type", "access"), ("fullName", "<script>alert(1)</script>"), ("email", "not-an-email")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("There is a problem", html, StringComparison.Ordinal);
        Assert.Contains("href=\"#email\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.Ordinal);
        Assert.Equal(0, await factory.Stored.RequestCountAsync());
    }

    [Fact]
    public async Task Form_PostOver64KiB_IsRefused()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var token = await GetTokenAsync(client);

        using var response = await client.PostAsync("/", Form(token, ("type", "access"), ("fullName", "Sam"), ("email", "sam@example.com"), ("details", new string('x', 70_000))));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await factory.Stored.RequestCountAsync());
    }

    internal static async Task<string> GetTokenAsync(HttpClient client)
    {
        var html = await client.GetStringAsync("/");
        return Forms.CsrfToken(html);
    }

    internal static FormUrlEncodedContent Form(string? token, params (string Name, string Value)[] fields)
    {
        var pairs = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).ToList();
        if (token is not null)
        {
            pairs.Add(new("__csrf", token));
        }

        return new FormUrlEncodedContent(pairs);
    }

}
