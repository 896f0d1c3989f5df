using System.Net;
using System.Net.Http.Json;
using DataRights.Core.Requests;
using DataRights.Core.Sources;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;

namespace DataRights.Integration.Tests.Workflow;

/// <summary>The whole pipeline through HTTP with a fake clock: intake, emailed verification, fan-out discovery, emailed approval, execution.</summary>
public sealed partial class WorkflowEndToEndTests
{
    private const string Email = "jane.doe@example.com";
    private const string DevUser = "X-DataRights-Dev-User";

    [Fact]
    public async Task Erasure_FromIntakeToCompletion_FollowsTheEmailedLinksLikeAPerson()
    {
        var crm = new InMemoryDataSource("crm", "CRM");
        var billing = new InMemoryDataSource("billing", "Billing", SourceAccess.Read);
        crm.Add(Email, 3);
        billing.Add(Email, 2);
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry(crm, billing) };
        using var client = factory.CreateClient();

        var id = await SubmitAsync(client, factory.Services);
        await factory.DrainAsync();
        var verification = Assert.Single(factory.Outbox);
        Assert.Equal(Email, verification.To);
        Assert.Contains("DR-2026-000001", verification.Subject, StringComparison.Ordinal);
        Assert.Contains("you asked us to delete your personal data (reference DR-2026-000001)", await client.GetStringAsync(verification.PathOfLink("/verify/")), StringComparison.Ordinal);

        await FollowAsync(client, verification.PathOfLink("/verify/"), "Yes, this is my request");

        // Confirmed, the request is searched at once: its searches may have answered already.
        Assert.Contains(await StatusAsync(client, id), (string[])["discovering", "awaiting_approval"]);
        await factory.DrainAsync();

        Assert.Equal("awaiting_approval", await StatusAsync(client, id));
        var approval = factory.Outbox.Single(m => m.To == "approver@example.com");
        Assert.Contains("CRM: 3 records", approval.Text, StringComparison.Ordinal);
        Assert.Contains("Billing: 2 records", approval.Text, StringComparison.Ordinal);
        await FollowAsync(client, approval.PathOfLink("/approve/"), "Approve and carry out", ("decision", "approve"));
        await factory.DrainAsync();

        Assert.Equal("completed", await StatusAsync(client, id));
        Assert.Equal(0, crm.RecordsOf(Email));
        Assert.Equal(1, crm.ExecuteCalls);
        Assert.Equal(0, billing.ExecuteCalls);
        var completion = factory.Outbox.Single(m => m.Subject.Contains("is complete", StringComparison.Ordinal));
        Assert.Contains("CRM: deleted 3 records", completion.Text, StringComparison.Ordinal);
        Assert.Contains("Billing: we can only read this system", completion.Text, StringComparison.Ordinal);
        Assert.Contains("Information Commissioner", completion.Text, StringComparison.Ordinal);
        Assert.True(await ChainValidAsync(client, id));
        Assert.NotEmpty(factory.Logs.Lines);
        Assert.All(factory.Logs.Lines, line =>
        {
            Assert.DoesNotContain(Email, line, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Jane", line, StringComparison.Ordinal);
            Assert.DoesNotContain("ACC-1001", line, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Unverified_IsRemindedThenExpiresWithANotice()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient();
        var id = await SubmitAsync(client, factory.Services);
        await factory.DrainAsync();

        await factory.AdvanceAsync(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        Assert.Contains(factory.Outbox, m => m.Subject.StartsWith("Reminder: please confirm", StringComparison.Ordinal));
        Assert.Equal("awaiting_verification", await StatusAsync(client, id));

        await factory.AdvanceAsync(TimeSpan.FromDays(11));

        Assert.Equal("expired", await StatusAsync(client, id));
        Assert.Contains(factory.Outbox, m => m.Subject.StartsWith("We have closed your request", StringComparison.Ordinal));
        var link = factory.Outbox.Single(m => m.Subject.StartsWith("Please confirm", StringComparison.Ordinal)).PathOfLink("/verify/");
        using var page = await client.GetAsync(link);
        Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
        Assert.DoesNotContain("Yes, this is my request", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejection_AtApproval_EndsWithItsReasonAndTheRightToComplain()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry(new InMemoryDataSource("crm", "CRM")) };
        using var client = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, client);

        using var response = await StaffPostAsync(client, $"/api/admin/requests/{id}/reject", new { reason = "manifestly_unfounded", note = "The same request was answered last week." });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await factory.DrainAsync();
        Assert.Equal("rejected", await StatusAsync(client, id));
        var rejection = factory.Outbox.Single(m => m.Subject.StartsWith("We could not carry out", StringComparison.Ordinal));
        Assert.Contains("manifestly unfounded", rejection.Text, StringComparison.Ordinal);
        Assert.Contains("ico.org.uk", rejection.Text, StringComparison.Ordinal);
        Assert.Contains("You can also ask a court to make us act on your request.", rejection.Text, StringComparison.Ordinal);
        using var again = await StaffPostAsync(client, $"/api/admin/requests/{id}/approve", new { note = "too late" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Extension_MovesTheDueDateTwoMonthsAndTellsTheRequester()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry(new InMemoryDataSource("crm", "CRM")) };
        using var client = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, client);

        using var response = await StaffPostAsync(client, $"/api/admin/requests/{id}/extend", new { reason = "Your data is spread over many archived systems." });
        await factory.DrainAsync();

        // Received Monday 2 November 2026, verified the same day: due 2 December; extended by two months: 2 February 2027.
        var body = await response.JsonAsync();
        Assert.Equal("2027-02-02", body.GetProperty("dueDate").GetString());
        Assert.Contains(factory.Outbox, m => m.Subject.StartsWith("We need more time", StringComparison.Ordinal) && m.Text.Contains("Tuesday 2 February 2027", StringComparison.Ordinal));
        using var twice = await StaffPostAsync(client, $"/api/admin/requests/{id}/extend", new { reason = "Again." });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
    }

    [Fact]
    public async Task VerificationLateInTheMonth_MovesTheUkDueDateByThePausedDays()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient();
        var id = await SubmitAsync(client, factory.Services);
        await factory.DrainAsync();

        await factory.AdvanceAsync(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        factory.Clock.Advance(TimeSpan.FromDays(1));

        // The first link (72 hours) has expired; the reminder carries a fresh one.
        using var expired = await client.GetAsync(factory.Outbox.Single(m => m.Subject.StartsWith("Please confirm", StringComparison.Ordinal)).PathOfLink("/verify/"));
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        await FollowAsync(client, factory.Outbox.Single(m => m.Subject.StartsWith("Reminder", StringComparison.Ordinal)).PathOfLink("/verify/"), "Yes, this is my request");

        // Received 2 November, identity confirmed 6 November: the month runs from 6 November to Sunday 6 December, so Monday 7 December.
        using var request = Staff(HttpMethod.Get, $"/api/admin/requests/{id}");
        using var response = await client.SendAsync(request);
        Assert.Equal("2026-12-07", (await response.JsonAsync()).GetProperty("dueDate").GetString());
    }

    [Fact]
    public async Task WorkItemsDeliveredTwice_SendNoSecondEmailAndMakeNoSecondErasure()
    {
        var crm = new InMemoryDataSource("crm", "CRM");
        crm.Add(Email, 2);

        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry(crm) };
        using var client = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, client);
        await StaffPostAsync(client, $"/api/admin/requests/{id}/approve", new { note = "ok" });
        await factory.DrainAsync();
        var mails = factory.Outbox.Count;
        var audit = await factory.Stored.AuditCountAsync();

        // As if every step's activity had crashed after doing its work but before recording it done, and ran again (its
        // emails: the confirmation, the approval request, the completion; an event's content is the moment's, not put back).
        var (putBack, redelivered) = await factory.RunStepsAgainAsync(_ => true);

        Assert.True(putBack >= 3, $"only {putBack} items were put back");
        Assert.Equal(putBack, redelivered);
        Assert.Equal(mails, factory.Outbox.Count);
        Assert.Equal(1, crm.ExecuteCalls);
        Assert.Equal(2, crm.DiscoverCalls); // the search, and the re-check after erasure; none again
        Assert.Equal(audit, await factory.Stored.AuditCountAsync());
        Assert.Equal("completed", await StatusAsync(client, id));
    }

    [Fact]
    public async Task FailingSource_IsRecordedAndShownToTheApproverWithoutStallingTheOthers()
    {
        var crm = new InMemoryDataSource("crm", "CRM");
        var broken = new InMemoryDataSource("recordings", "Call recordings") { FailDiscoveries = int.MaxValue };
        crm.Add(Email, 1);
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?>
        {
            ["DataRights:Workflow:MaxAttempts"] = "3",
            ["DataRights:Workflow:RetryBaseDelay"] = "00:00:10",
        })
        { Sources = new InMemorySourceRegistry(crm, broken) };
        using var client = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, client, expectApproval: false);
        Assert.Equal("discovering", await StatusAsync(client, id));

        await factory.AdvanceAsync(TimeSpan.FromSeconds(13));
        await factory.AdvanceAsync(TimeSpan.FromSeconds(25));

        Assert.Equal(3, broken.DiscoverCalls);
        Assert.Equal("awaiting_approval", await StatusAsync(client, id));
        var approval = factory.Outbox.Single(m => m.To == "approver@example.com");
        Assert.Contains("Call recordings: FAILED", approval.Text, StringComparison.Ordinal);
        Assert.Contains("CRM: 1 record", approval.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedExecution_NeedsStaffAndARetryFinishesIt()
    {
        var crm = new InMemoryDataSource("crm", "CRM") { FailExecutions = 2 };
        crm.Add(Email, 2);
        using var factory = RetryingFactory(crm, maxAttempts: 2);
        using var client = factory.CreateClient();
        var id = await ApproveAndRetryAsync(factory, client);

        Assert.Equal("failed", await StatusAsync(client, id));
        Assert.Contains(factory.Outbox, m => m.To == "privacy-team@example.com" && m.Subject.StartsWith("Needs attention", StringComparison.Ordinal));

        using var retry = await StaffPostAsync(client, $"/api/admin/requests/{id}/retry", new { });
        await factory.DrainAsync();

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("completed", await StatusAsync(client, id));
        Assert.Equal(0, crm.RecordsOf(Email));
    }

    [Fact]
    public async Task InterruptedErasure_RetriedAfterItsAnswerWasLost_TrailSaysWhatTheFirstAttemptErased()
    {
        var crm = new InMemoryDataSource("crm", "CRM") { FailExecutionsAfterErasing = 1 };
        crm.Add(Email, 3);
        using var factory = RetryingFactory(crm, maxAttempts: 3);
        using var client = factory.CreateClient();
        var id = await ApproveAndRetryAsync(factory, client);

        Assert.Equal("completed", await StatusAsync(client, id));
        Assert.Equal(2, crm.ExecuteCalls);
        var executed = Assert.Single(await factory.Stored.AuditAsync("source.executed"));
        Assert.Equal("0", executed.Detail("erased"));
        Assert.Equal("3", executed.Detail("goneBeforeThisAttempt"));
        Assert.Equal("nothing left", executed.Detail("rediscovered"));
    }

    /// <summary>A host whose work items are tried <paramref name="maxAttempts"/> times, a second apart, on one in-memory source.</summary>
    private static DataRightsFactory RetryingFactory(InMemoryDataSource source, int maxAttempts) =>
        new(settings: new Dictionary<string, string?>
        {
            ["DataRights:Workflow:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DataRights:Workflow:RetryBaseDelay"] = "00:00:01",
        })
        { Sources = new InMemorySourceRegistry(source) };

    /// <summary>Submits, verifies and approves an erasure, then lets its work run and be retried.</summary>
    private static async Task<string> ApproveAndRetryAsync(DataRightsFactory factory, HttpClient client)
    {
        var id = await SubmitAndVerifyAsync(factory, client);
        await StaffPostAsync(client, $"/api/admin/requests/{id}/approve", new { });
        await factory.DrainAsync();
        await factory.AdvanceAsync(TimeSpan.FromSeconds(2));
        return id;
    }

    [Fact]
    public async Task StaffEnteredRequest_CountsFromTheDateReceivedAndCarriesTheCcpaAcknowledgement()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient();

        using var response = await StaffPostAsync(client, "/api/admin/requests", new
        {
            type = "access", email = "posted@example.com", fullName = "Pat Post", jurisdiction = "US-CA", channel = "post", receivedAt = "2026-10-20",
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("2026-12-04", body.GetProperty("dueDate").GetString());
        Assert.Equal("2026-11-03", body.GetProperty("acknowledgeBy").GetString());
        Assert.Equal(IntakeChannel.Post, (await factory.Stored.SingleRequestAsync()).Channel);
    }

    [Theory]
    [InlineData("receivedAt", "2026-12-25")]
    [InlineData("receivedAt", "yesterday")]
    [InlineData("channel", "web_form")]
    public async Task StaffEnteredRequest_BadFields_Return400NamingThemAndStoreNothing(string field, string value)
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient();
        var body = new Dictionary<string, string> { ["type"] = "access", ["email"] = "p@example.com", ["fullName"] = "P P", ["channel"] = "post", ["receivedAt"] = "2026-10-20" };
        body[field] = value;

        using var response = await StaffPostAsync(client, "/api/admin/requests", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(0, await factory.Stored.RequestCountAsync());
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task StaffActions_DevHeaderOutsideDevelopment_AreRefusedAndChangeNothing(string environment)
    {
        using var factory = new DataRightsFactory(environment: environment) { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient();
        var id = await SubmitAsync(client, factory.Services);

        using var verify = await StaffPostAsync(client, $"/api/admin/requests/{id}/verify", new { });
        using var enter = await StaffPostAsync(client, "/api/admin/requests", new { type = "access", email = "x@example.com", fullName = "X", channel = "post", receivedAt = "2026-11-01" });

        Assert.Equal(HttpStatusCode.Unauthorized, verify.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, enter.StatusCode);
        Assert.Equal(RequestStatus.AwaitingVerification, (await factory.Stored.SingleRequestAsync()).Status);
    }

    [Fact]
    public async Task OpenRequests_ListsOverdueFirst()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient();
        var late = await SubmitAndVerifyAsync(factory, client);
        await factory.AdvanceAsync(TimeSpan.FromDays(40));
        await SubmitAsync(client, factory.Services, "someone.new@example.com");
        await factory.DrainAsync();

        using var request = Staff(HttpMethod.Get, "/api/admin/requests");
        using var response = await client.SendAsync(request);

        var list = (await response.JsonAsync()).GetProperty("requests");
        Assert.Equal(late, list[0].GetProperty("id").GetString());
        Assert.True(list[0].GetProperty("overdue").GetBoolean());
        Assert.Contains(factory.Outbox, m => m.Subject.StartsWith("Overdue:", StringComparison.Ordinal));
        Assert.Contains(factory.Outbox, m => m.Subject.StartsWith("Due soon:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Discovery_AcrossTwentySources_RunsAllOfThemAtOnce()
    {
        // Every source waits until all twenty calls are in flight together: a sequential fan-out would never get there.
        var arrived = 0;
        var allIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sources = Enumerable.Range(1, 20).Select(i => new InMemoryDataSource($"s{i}", $"Source {i}")
        {
            BeforeDiscover = async token =>
            {
                if (Interlocked.Increment(ref arrived) == 20)
                {
                    allIn.TrySetResult();
                }

                await allIn.Task.WaitAsync(TimeSpan.FromSeconds(20), token);
            },
        }).ToArray();
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?>
        {
            ["DataRights:Workflow:MaxAttempts"] = "1",
        })
        { Sources = new InMemorySourceRegistry(sources) };
        using var client = factory.CreateClient();
        var id = await SubmitAsync(client, factory.Services);
        await WaitForAsync(() => factory.Outbox.Count == 1);

        await FollowAsync(client, factory.Outbox.Single().PathOfLink("/verify/"), "Yes, this is my request");
        await WaitForAsync(async () => await StatusAsync(client, id) == "awaiting_approval");

        Assert.Equal(20, arrived);
        using var request = Staff(HttpMethod.Get, $"/api/admin/requests/{id}");
        using var response = await client.SendAsync(request);
        var progress = (await response.JsonAsync()).GetProperty("progress").GetProperty("sources");
        Assert.All(progress.EnumerateArray(), s => Assert.Equal("succeeded", s.GetProperty("discovery").GetString()));
    }

    private static async Task WaitForAsync(Func<bool> condition) => await WaitForAsync(() => Task.FromResult(condition()));

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 600 && !await condition(); i++)
        {
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Orchestrations_SendTheVerificationEmailWithoutHelp()
    {
        // No drain: the relay hands the work over after the commit and the request's orchestration runs it.
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient();

        await SubmitAsync(client, factory.Services);

        for (var i = 0; i < 100 && factory.Outbox.Count == 0; i++)
        {
            await Task.Delay(50);
        }

        Assert.Single(factory.Outbox);
    }

    internal static async Task<string> SubmitAsync(HttpClient client, IServiceProvider services, string email = Email)
    {
        using var response = await client.PostJsonAsync(Submissions.Valid(email));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await services.WaitingIdAsync(email);
    }

    internal static async Task<string> SubmitAndVerifyAsync(DataRightsFactory factory, HttpClient client, bool expectApproval = true)
    {
        var id = await SubmitAsync(client, factory.Services);
        await factory.DrainAsync();
        await FollowAsync(client, factory.Outbox.Single(m => m.Links.Any(l => l.Contains("/verify/", StringComparison.Ordinal))).PathOfLink("/verify/"), "Yes, this is my request");
        await factory.DrainAsync();
        if (expectApproval)
        {
            Assert.Equal("awaiting_approval", await StatusAsync(client, id));
        }

        return id;
    }

    /// <summary>Opens a link page (GET), checks its button, and submits its form (POST with the page's anti-forgery token).</summary>
    internal static async Task<string> FollowAsync(HttpClient client, string path, string button, params (string Name, string Value)[] fields)
    {
        var page = await client.GetStringAsync(path);
        Assert.Contains(button, page, StringComparison.Ordinal);
        var token = Forms.CsrfToken(page);
        using var response = await client.PostAsync(path, new FormUrlEncodedContent(
            fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(new("__csrf", token))));
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {html}");
        return html;
    }

    internal static async Task<string> StatusAsync(HttpClient client, string id)
    {
        using var request = Staff(HttpMethod.Get, $"/api/admin/requests/{id}");
        using var response = await client.SendAsync(request);
        return (await response.JsonAsync()).GetProperty("status").GetString()!;
    }

    internal static HttpRequestMessage Staff(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add(DevUser, "Priya Officer");
        return request;
    }

    internal static async Task<HttpResponseMessage> StaffPostAsync(HttpClient client, string path, object body)
    {
        using var request = Staff(HttpMethod.Post, path);
        request.Content = JsonContent.Create(body);
        return await client.SendAsync(request);
    }

    private static async Task<bool> ChainValidAsync(HttpClient client, string id)
    {
        using var request = Staff(HttpMethod.Get, $"/api/admin/requests/{id}/audit");
        using var response = await client.SendAsync(request);
        return (await response.JsonAsync()).GetProperty("chainValid").GetBoolean();
    }

}
