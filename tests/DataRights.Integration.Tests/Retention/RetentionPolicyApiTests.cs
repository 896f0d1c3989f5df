using System.Net;
using DataRights.Host.Retention;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Integration.Tests.Workflow;
using static DataRights.Integration.Tests.Retention.PurgeKit;

namespace DataRights.Integration.Tests.Retention;

/// <summary>The retention policy: shipped sample, changed through the staff API, validated strictly, every change audited.</summary>
public sealed class RetentionPolicyApiTests
{
    [Fact]
    public async Task Policy_WithTheDemoSources_IsTheSampleNoticeInEveryRegion()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        var regions = await GetAsync(client, "/api/admin/retention");

        Assert.Equal(["eu-west", "us-east", "us-west"], regions.EnumerateArray().Select(r => r.GetProperty("region").GetString()));
        var euWest = regions.EnumerateArray().First();
        Assert.Equal("purge-eu-west", euWest.GetProperty("job").GetString());
        Assert.Equal("0 30 2 * * *", euWest.GetProperty("schedule").GetString());
        Assert.Equal("Europe/London", euWest.GetProperty("timeZone").GetString());
        var rules = euWest.GetProperty("rules").EnumerateArray().ToDictionary(r => r.GetProperty("category").GetString()!, r => r.GetProperty("maxAge").GetString());
        Assert.Equal("P6M", rules["telephony.cdr"]);
        Assert.Equal("P28D", rules["telephony.recording"]);
        Assert.Equal("P180D", rules["backup.database"]);
        Assert.Equal("P7W", rules["backup.trace"]);
        Assert.Equal("P7Y", rules["billing.invoice"]);
        Assert.Equal("P3M", rules["telephony.third_party_recording"]);
        Assert.Equal("demo", euWest.GetProperty("updatedBy").GetString());
    }

    [Fact]
    public async Task Put_ValidRules_ReplacesThePolicyAndAuditsTheChange()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        using var response = await PutPolicyAsync(client, "us-east", new
        {
            rules = new[]
            {
                new { category = "telephony.cdr", maxAge = "P90D", countsFrom = "created", basis = "  Shorter for US callers, by our own choice  " },
                new { category = "account.profile", maxAge = "P1Y", countsFrom = "last_activity", basis = "Dormant accounts are closed after a year" },
            },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = await GetAsync(client, "/api/admin/retention/us-east");
        Assert.Equal(2, stored.GetProperty("rules").GetArrayLength());
        Assert.Equal("Shorter for US callers, by our own choice", stored.GetProperty("rules")[0].GetProperty("basis").GetString());
        Assert.Equal("staff:Priya Officer", stored.GetProperty("updatedBy").GetString());
        var saved = (await factory.Stored.RetentionAuditAsync()).Where(e => e.Action == "retention.policy_saved" && e.Actor == "staff:Priya Officer");
        Assert.Single(saved, e => StoredRecordsRetention.DetailText(e, "region") == "us-east");
    }

    [Theory]
    [InlineData("""{"rules":[{"category":"telephony.cdr","maxAge":"6 months","countsFrom":"created","basis":"Long enough basis"}]}""", "rules[0].maxAge")]
    [InlineData("""{"rules":[{"category":"telephony.cdr","maxAge":"P0D","countsFrom":"created","basis":"Long enough basis"}]}""", "rules[0].maxAge")]
    [InlineData("""{"rules":[{"category":"telephony.cdr","maxAge":"P6M","countsFrom":"closure","basis":"Long enough basis"}]}""", "rules[0].countsFrom")]
    [InlineData("""{"rules":[{"category":"telephony.cdr","maxAge":"P6M","countsFrom":"created","basis":"short"}]}""", "rules[0].basis")]
    [InlineData("""{"rules":[{"category":"CDR","maxAge":"P6M","countsFrom":"created","basis":"Long enough basis"}]}""", "rules[0].category")]
    [InlineData("""{"rules":[{"category":"a.b","maxAge":"P6M","countsFrom":"created","basis":"Long enough basis"},{"category":"a.b","maxAge":"P1M","countsFrom":"created","basis":"Long enough basis"}]}""", "rules[1].category")]
    [InlineData("""{"rules":[{"category":"a.b","maxAge":6,"countsFrom":"created","basis":"Long enough basis"}]}""", "rules[0].maxAge")]
    [InlineData("""{"rules":[{"category":"a.b","maxAge":"P6M","countsFrom":"created","basis":"Long enough basis","keep":true}]}""", "rules[0].keep")]
    [InlineData("""{"rules":{"category":"a.b"}}""", "rules")]
    [InlineData("""{"rules":[],"purgeAll":true}""", "purgeAll")]
    [InlineData("""{"region":"us-west","rules":[]}""", "region")]
    [InlineData("""not json""", "body")]
    public async Task Put_BadInput_Returns400NamingTheFieldAndSavesNothing(string body, string field)
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var before = await GetAsync(client, "/api/admin/retention/us-east");

        using var request = WorkflowEndToEndTests.Staff(HttpMethod.Put, "/api/admin/retention/us-east");
        request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
        Assert.Equal(before.GetRawText(), (await GetAsync(client, "/api/admin/retention/us-east")).GetRawText());
    }

    [Fact]
    public async Task Put_UnknownRegion_Returns400NamingTheRegion()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        using var response = await PutPolicyAsync(client, "ap-south", new { rules = Array.Empty<object>() });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("region", out _));
    }

    [Fact]
    public void ConfiguredPolicy_WithAnInvalidRule_StopsTheStartNamingTheSetting()
    {
        var validator = new RetentionOptionsValidator();
        var options = new RetentionOptions
        {
            Policy =
            {
                ["eu-west"] = [new() { Category = "telephony.cdr", MaxAge = "P6M", CountsFrom = "created", Basis = "ok" }],
                ["mars-north"] = [],
            },
        };

        var result = validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("DataRights:Retention:Policy:eu-west:0:Basis:", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("DataRights:Retention:Policy:mars-north:", StringComparison.Ordinal));
    }

    [Fact]
    public void RunStepRetry_ShorterThanItsFirstPause_StopsTheStartNamingTheSetting()
    {
        var result = new RetentionOptionsValidator().Validate(null, new RetentionOptions { RunStepRetryFirst = TimeSpan.FromMinutes(2), RunStepRetryFor = TimeSpan.FromMinutes(1) });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("DataRights:Retention:RunStepRetryFor must be at least RunStepRetryFirst", StringComparison.Ordinal));
        Assert.True(new RetentionOptionsValidator().Validate(null, new RetentionOptions()).Succeeded);
    }

    [Fact]
    public async Task ConfiguredPolicy_ReplacesTheStoredOneAtStart()
    {
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?>
        {
            ["DataRights:Retention:Policy:us-west:0:Category"] = "telephony.recording",
            ["DataRights:Retention:Policy:us-west:0:MaxAge"] = "P14D",
            ["DataRights:Retention:Policy:us-west:0:CountsFrom"] = "created",
            ["DataRights:Retention:Policy:us-west:0:Basis"] = "Recordings: two weeks in the US",
        });
        using var client = factory.CreateClient();

        var usWest = await GetAsync(client, "/api/admin/retention/us-west");

        Assert.Equal("configuration", usWest.GetProperty("updatedBy").GetString());
        Assert.Equal("P14D", Assert.Single(usWest.GetProperty("rules").EnumerateArray()).GetProperty("maxAge").GetString());
    }
}
