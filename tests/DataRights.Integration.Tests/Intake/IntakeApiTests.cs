using System.Net;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;

namespace DataRights.Integration.Tests.Intake;

public sealed class IntakeApiTests
{
    [Fact]
    public async Task Submit_ValidJson_Returns202SayingCheckYourEmail_AndTheRequestHasItsReferenceAndDueDate()
    {
        // 31 January 2026 + one month has no 31st: last day of February, a Saturday, so Monday 2 March.
        using var factory = new DataRightsFactory(clock: new FakeTimeProvider(new DateTimeOffset(2026, 1, 31, 10, 0, 0, TimeSpan.Zero)));
        using var client = factory.CreateClient();

        using var response = await client.PostJsonAsync(Submissions.Valid());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(["status", "message"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("received", body.GetProperty("status").GetString());
        Assert.StartsWith("Thank you. We will email the address you gave", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Null(response.Headers.Location);
        var request = await factory.Services.WaitingRequestAsync("jane.doe@example.com");
        Assert.Matches("^dr_[0-9a-f]{24}$", request.Id);
        Assert.Equal("DR-2026-000001", request.Reference);
        Assert.Equal("uk-gdpr", request.Deadline.RegimeKey);
        Assert.Equal(new DateOnly(2026, 3, 2), request.Deadline.DueOn);
    }

    [Fact]
    public async Task Submit_ANewRequest_ARepeat_AndOnePastTheAddresssLimit_AreAnsweredAlike()
    {
        // Whoever sends a submission learns nothing about the address from the answer: not that it has a request
        // waiting for confirmation, nor that it reached its limit on new requests.
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?> { ["DataRights:Intake:PerEmailPermitLimit"] = "1" });
        using var client = factory.CreateClient();

        using var fresh = await client.PostJsonAsync(Submissions.Valid("waiting@example.com"));
        using var repeat = await client.PostJsonAsync(Submissions.Valid("waiting@example.com", type: "access"));
        using var other = await client.PostJsonAsync(Submissions.Valid("limited@example.com"));
        await ConfirmAsync(client, factory.Services, "limited@example.com");
        using var limited = await client.PostJsonAsync(Submissions.Valid("limited@example.com", details: "another"));

        var answers = new[] { fresh, repeat, other, limited };
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.StatusCode));
        var bodies = await Task.WhenAll(answers.Select(a => a.Content.ReadAsStringAsync()));
        Assert.Single(bodies.Distinct(StringComparer.Ordinal));
        Assert.All(answers, a => Assert.Null(a.Headers.Location));
        Assert.All(answers, a => Assert.Null(a.Headers.RetryAfter));
        Assert.Equal(2, await factory.Stored.RequestCountAsync());
    }

    [Fact]
    public async Task Submit_Valid_IsCommittedToTableStorageBeforeTheAnswer()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        using var response = await client.PostJsonAsync(Submissions.Valid("Person.One@Example.COM"));
        var id = await factory.Services.WaitingIdAsync("person.one@example.com");

        var request = await factory.Stored.SingleRequestAsync();
        Assert.Equal(id, request.Id);
        Assert.Equal("person.one@example.com", request.Email);
        Assert.Single(await factory.Stored.AuditAsync("request.received"), e => e.RequestId == id);
        Assert.Single(request.Progress.Owed.Select(o => o.Id).Concat(request.Progress.WorkDone), w => w.Contains(":message:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Submit_CcpaRequest_CarriesAcknowledgementDate()
    {
        using var factory = new DataRightsFactory(clock: new FakeTimeProvider(new DateTimeOffset(2026, 11, 6, 20, 0, 0, TimeSpan.Zero)));
        using var client = factory.CreateClient();

        using var response = await client.PostJsonAsync(new { type = "access", email = "ca@example.com", fullName = "Cal Ifornia", jurisdiction = "US-CA" });

        var deadline = (await factory.Services.WaitingRequestAsync("ca@example.com")).Deadline;
        Assert.Equal("ccpa", deadline.RegimeKey);
        Assert.Equal(new DateOnly(2026, 12, 21), deadline.DueOn);
        // Ten business days from Friday 6 November 2026, skipping Veterans Day (Wednesday 11th), a state holiday.
        Assert.Equal(new DateOnly(2026, 11, 23), deadline.AcknowledgeBy);
    }

    [Fact]
    public async Task Submit_WithoutJurisdiction_UsesTheConfiguredDefault()
    {
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?> { ["DataRights:DefaultJurisdiction"] = "BR" });
        using var client = factory.CreateClient();

        using var response = await client.PostJsonAsync(new { type = "access", email = "br@example.com", fullName = "Bruna Silva" });

        var request = await factory.Services.WaitingRequestAsync("br@example.com");
        Assert.Equal(DataRights.Core.Requests.Jurisdiction.BR, request.Jurisdiction);
        Assert.Equal("lgpd", request.Deadline.RegimeKey);
    }

    [Fact]
    public async Task Submit_SameSubmissionWithinWindow_IsAnsweredAlike_AndStoresNothingNew()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        using var first = await client.PostJsonAsync(Submissions.Valid());
        factory.Clock.Advance(TimeSpan.FromMinutes(9));
        using var second = await client.PostJsonAsync(Submissions.Valid());

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(1, await factory.Stored.RequestCountAsync());
    }

    [Fact]
    public async Task Submit_SameSubmissionAfterWindow_CreatesANewRequest()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        using var first = await client.PostJsonAsync(Submissions.Valid());
        await ConfirmAsync(client, factory.Services, "jane.doe@example.com");
        factory.Clock.Advance(TimeSpan.FromMinutes(11));
        using var second = await client.PostJsonAsync(Submissions.Valid());

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal("DR-2026-000002", (await factory.Services.WaitingRequestAsync("jane.doe@example.com")).Reference);
        Assert.Equal(2, await factory.Stored.RequestCountAsync());
    }

    [Fact]
    public async Task Submit_DifferentDetails_IsNotADuplicate()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        using var first = await client.PostJsonAsync(Submissions.Valid(details: "Please delete my account."));
        await ConfirmAsync(client, factory.Services, "jane.doe@example.com");
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

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
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

        var id = await factory.Services.WaitingIdAsync("html@example.com");
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
    public async Task Submit_PerEmailLimitExceeded_StoresAndSendsNothing_AndOtherEmailsStillWork()
    {
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?> { ["DataRights:Intake:PerEmailPermitLimit"] = "2" });
        using var client = factory.CreateClient();

        using var first = await client.PostJsonAsync(Submissions.Valid(details: "one"));
        await ConfirmAsync(client, factory.Services, "jane.doe@example.com");
        using var second = await client.PostJsonAsync(Submissions.Valid(details: "two"));
        await ConfirmAsync(client, factory.Services, "jane.doe@example.com");
        using var third = await client.PostJsonAsync(Submissions.Valid(details: "three"));
        using var other = await client.PostJsonAsync(Submissions.Valid("someone.else@example.com"));

        Assert.All([second, third, other], a => Assert.Equal(HttpStatusCode.Accepted, a.StatusCode));
        Assert.Equal(3, await factory.Stored.RequestCountAsync());
        Assert.Equal("someone.else@example.com", (await factory.Services.WaitingRequestAsync("someone.else@example.com")).Email);
    }

    [Fact]
    public async Task EnterRequest_ByStaff_IsNeverHeldByThePerEmailLimit()
    {
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?> { ["DataRights:Intake:PerEmailPermitLimit"] = "1" });
        using var client = factory.CreateClient();
        using var own = await client.PostJsonAsync(Submissions.Valid());
        await ConfirmAsync(client, factory.Services, "jane.doe@example.com");
        using var limited = await client.PostJsonAsync(Submissions.Valid(details: "another"));
        var beforeStaff = await factory.Stored.RequestCountAsync();

        using var posted = await Workflow.WorkflowEndToEndTests.StaffPostAsync(client, "/api/admin/requests",
            new { type = "access", email = "jane.doe@example.com", fullName = "Jane Doe", channel = "post", receivedAt = "2026-11-01" });

        Assert.Equal(1, beforeStaff);
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        Assert.Equal(2, await factory.Stored.RequestCountAsync());
    }

    /// <summary>Staff confirm the person's identity, so the address has no request waiting for confirmation.</summary>
    private static async Task ConfirmAsync(HttpClient client, IServiceProvider services, string email)
    {
        var id = await services.WaitingIdAsync(email);
        using var verified = await Workflow.WorkflowEndToEndTests.StaffPostAsync(client, $"/api/admin/requests/{id}/verify", new { });
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
    }
}
