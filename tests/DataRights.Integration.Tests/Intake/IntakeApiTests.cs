using System.Net;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;

namespace DataRights.Integration.Tests.Intake;

public sealed class IntakeApiTests
{
    [Fact]
    public async Task Submit_ValidJson_Returns202WithReferenceLocationAndDueDate()
    {
        // 31 January 2026 + one month has no 31st: last day of February, a Saturday, so Monday 2 March.
        using var factory = new DataRightsFactory(clock: new FakeTimeProvider(new DateTimeOffset(2026, 1, 31, 10, 0, 0, TimeSpan.Zero)));
        using var client = factory.CreateClient();

        using var response = await client.PostJsonAsync(Submissions.Valid());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Matches("^dr_[0-9a-f]{24}$", body.GetProperty("id").GetString());
        Assert.Equal("DR-2026-000001", body.GetProperty("reference").GetString());
        Assert.Equal("awaiting_verification", body.GetProperty("status").GetString());
        Assert.Equal("uk-gdpr", body.GetProperty("regime").GetString());
        Assert.Equal("2026-03-02", body.GetProperty("dueDate").GetString());
        Assert.False(body.GetProperty("duplicate").GetBoolean());
        Assert.Equal(body.GetProperty("statusUrl").GetString(), response.Headers.Location?.ToString());
        Assert.DoesNotContain(body.GetProperty("id").GetString()!, response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_Valid_IsCommittedToTableStorageBeforeTheAnswer()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        using var response = await client.PostJsonAsync(Submissions.Valid("Person.One@Example.COM"));
        var id = (await response.JsonAsync()).GetProperty("id").GetString()!;

        var request = await factory.Stored.SingleRequestAsync();
        Assert.Equal(id, request.Id);
        Assert.Equal("person.one@example.com", request.Email);
        Assert.Single(await factory.Stored.AuditAsync("request.received"), e => e.RequestId == id);
        Assert.Single(await factory.Stored.WorkRowsAsync(id), w => w.GetString("Kind") == "message");
    }

    [Fact]
    public async Task Submit_CcpaRequest_CarriesAcknowledgementDate()
    {
        using var factory = new DataRightsFactory(clock: new FakeTimeProvider(new DateTimeOffset(2026, 11, 6, 20, 0, 0, TimeSpan.Zero)));
        using var client = factory.CreateClient();

        using var response = await client.PostJsonAsync(new { type = "access", email = "ca@example.com", fullName = "Cal Ifornia", jurisdiction = "US-CA" });

        var body = await response.JsonAsync();
        Assert.Equal("ccpa", body.GetProperty("regime").GetString());
        Assert.Equal("2026-12-21", body.GetProperty("dueDate").GetString());
        // Ten business days from Friday 6 November 2026, skipping Veterans Day (Wednesday 11th), a state holiday.
        Assert.Equal("2026-11-23", body.GetProperty("acknowledgeBy").GetString());
    }

    [Fact]
    public async Task Submit_WithoutJurisdiction_UsesTheConfiguredDefault()
    {
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?> { ["DataRights:DefaultJurisdiction"] = "BR" });
        using var client = factory.CreateClient();

        using var response = await client.PostJsonAsync(new { type = "access", email = "br@example.com", fullName = "Bruna Silva" });

        var body = await response.JsonAsync();
        Assert.Equal("BR", body.GetProperty("jurisdiction").GetString());
        Assert.Equal("lgpd", body.GetProperty("regime").GetString());
    }

    [Fact]
    public async Task Submit_SameSubmissionWithinWindow_AnswersAsARepeatWithoutTheStatusLink()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        using var first = await client.PostJsonAsync(Submissions.Valid());
        factory.Clock.Advance(TimeSpan.FromMinutes(9));
        using var second = await client.PostJsonAsync(Submissions.Valid());

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var b = await second.JsonAsync();
        Assert.True(b.GetProperty("duplicate").GetBoolean());
        Assert.False(b.TryGetProperty("statusUrl", out _));
        Assert.False(b.TryGetProperty("id", out _));
        Assert.Equal(1, await factory.Stored.RequestCountAsync());
    }

    [Fact]
    public async Task Submit_SameSubmissionAfterWindow_CreatesANewRequest()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        using var first = await client.PostJsonAsync(Submissions.Valid());
        await ConfirmAsync(client, first);
        factory.Clock.Advance(TimeSpan.FromMinutes(11));
        using var second = await client.PostJsonAsync(Submissions.Valid());

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal("DR-2026-000002", (await second.JsonAsync()).GetProperty("reference").GetString());
        Assert.Equal(2, await factory.Stored.RequestCountAsync());
    }

    [Fact]
    public async Task Submit_DifferentDetails_IsNotADuplicate()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        using var first = await client.PostJsonAsync(Submissions.Valid(details: "Please delete my account."));
        await ConfirmAsync(client, first);
        using var second = await client.PostJsonAsync(Submissions.Valid(details: "Also my call recordings."));

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(2, await factory.Stored.RequestCountAsync());
    }

    [Fact]
    public async Task Submit_ConcurrentIdenticalSubmissions_StoreOneRequest()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => client.PostJsonAsync(Submissions.Valid())));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Accepted);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, r.StatusCode.ToString()));
        foreach (var response in responses)
        {
            response.Dispose();
        }

        Assert.Equal(1, await factory.Stored.RequestCountAsync());
    }

    [Fact]
    public async Task Submit_HtmlInFields_IsStoredAsTextExactly()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        const string name = "<script>alert('x')</script> Jane";

        using var response = await client.PostJsonAsync(new { type = "access", email = "html@example.com", fullName = name, details = "<b>bold</b> & \"quoted\"" });

        var id = (await response.JsonAsync()).GetProperty("id").GetString()!;
        var row = Assert.Single(await factory.Stored.RowsAsync("Requests", $"PartitionKey eq '{id}' and RowKey eq 'request'"));
        Assert.Equal(name, row.GetString("FullName"));
        Assert.Equal("<b>bold</b> & \"quoted\"", row.GetString("Details"));
    }

    [Fact]
    public async Task Submit_PerClientLimitExceeded_Returns429WithRetryAfterAndStoresNothing()
    {
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?> { ["DataRights:Intake:PerClientPermitLimit"] = "3" });
        using var client = factory.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            using var ok = await client.PostJsonAsync(Submissions.Valid($"p{i}@example.com"));
            Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        }

        using var limited = await client.PostJsonAsync(Submissions.Valid("p9@example.com"));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(3, await factory.Stored.RequestCountAsync());
    }

    [Fact]
    public async Task Submit_PerEmailLimitExceeded_Returns429AndOtherEmailsStillWork()
    {
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?> { ["DataRights:Intake:PerEmailPermitLimit"] = "2" });
        using var client = factory.CreateClient();

        using var first = await client.PostJsonAsync(Submissions.Valid(details: "one"));
        await ConfirmAsync(client, first);
        using var second = await client.PostJsonAsync(Submissions.Valid(details: "two"));
        await ConfirmAsync(client, second);
        using var third = await client.PostJsonAsync(Submissions.Valid(details: "three"));
        using var other = await client.PostJsonAsync(Submissions.Valid("someone.else@example.com"));

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.NotNull(third.Headers.RetryAfter);
        Assert.Equal("urn:datarights:problem:too-many-submissions", (await third.JsonAsync()).GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
        Assert.Equal(3, await factory.Stored.RequestCountAsync());
    }

    [Fact]
    public async Task EnterRequest_ByStaff_IsNeverHeldByThePerEmailLimit()
    {
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?> { ["DataRights:Intake:PerEmailPermitLimit"] = "1" });
        using var client = factory.CreateClient();
        using var own = await client.PostJsonAsync(Submissions.Valid());
        await ConfirmAsync(client, own);
        using var limited = await client.PostJsonAsync(Submissions.Valid(details: "another"));

        using var posted = await Workflow.WorkflowEndToEndTests.StaffPostAsync(client, "/api/admin/requests",
            new { type = "access", email = "jane.doe@example.com", fullName = "Jane Doe", channel = "post", receivedAt = "2026-11-01" });

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
    }

    /// <summary>Staff confirm the person's identity, so the address has no request waiting for confirmation.</summary>
    private static async Task ConfirmAsync(HttpClient client, HttpResponseMessage submitted)
    {
        var id = (await submitted.JsonAsync()).GetProperty("id").GetString()!;
        using var verified = await Workflow.WorkflowEndToEndTests.StaffPostAsync(client, $"/api/admin/requests/{id}/verify", new { });
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
    }
}
