using System.Net;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.StaffConsole;

/// <summary>The staff console over HTTP: who gets in, the inbox's order and filters, and acting on a request from its page.</summary>
public sealed class StaffConsoleTests
{
    [Fact]
    public async Task Console_NotSignedIn_SendsToSignInAndBackToThePageAsked()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var client = ConsoleClient.Create(factory);

        using var response = await client.GetAsync("/staff/requests/dr_123?x=1");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/staff/signin?returnUrl=%2Fstaff%2Frequests%2Fdr_123%3Fx%3D1", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task SignIn_ReturnAddressOnAnotherSite_LandsOnTheInboxInstead()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var client = ConsoleClient.Create(factory);

        using var response = await ConsoleClient.PostFormAsync(client, "/staff/signin", "/staff/signin", ("name", "Priya"), ("role", "admin"), ("returnUrl", "https://evil.example/staff"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/staff", response.Headers.Location?.OriginalString);
        using var inbox = await client.GetAsync("/staff");
        Assert.Equal(HttpStatusCode.OK, inbox.StatusCode);
        Assert.Contains("Priya (administrator)", await inbox.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WithoutTheDevelopmentSignIn_IsNotOfferedAndCannotBePosted()
    {
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?> { ["DataRights:DevSignIn"] = "false" }) { Sources = new InMemorySourceRegistry() };
        using var client = ConsoleClient.Create(factory);

        using var page = await client.GetAsync("/staff/signin");
        using var posted = await client.PostAsync("/staff/signin", new FormUrlEncodedContent([new("name", "Mallory"), new("role", "admin")]));
        using var inbox = await client.GetAsync("/staff");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Contains("Sign-in is not set up", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, inbox.StatusCode);
    }

    [Fact]
    public async Task SignIn_WithoutItsAntiForgeryToken_IsRefusedAndSignsNobodyIn()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var client = ConsoleClient.Create(factory);

        using var posted = await client.PostAsync("/staff/signin", new FormUrlEncodedContent([new("name", "Mallory"), new("role", "admin")]));
        using var inbox = await client.GetAsync("/staff");

        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, inbox.StatusCode);
    }

    [Fact]
    public async Task Inbox_ListsOpenRequestsMostUrgentFirst_FiltersAndSearches_AndEscapesWhatPeopleTyped()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var api = factory.CreateClient();
        var first = await SubmitAsync(api, factory.Services, "first@example.com");
        await factory.AdvanceAsync(TimeSpan.FromDays(2));
        using (var typed = await api.PostJsonAsync(new { type = "access", email = "second@example.com", fullName = "<script>alert(1)</script>", jurisdiction = "UK" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, typed.StatusCode);
        }

        using var client = ConsoleClient.Create(factory);
        await ConsoleClient.SignInAsync(client);

        var all = await client.GetStringAsync("/staff");
        var erasures = await client.GetStringAsync("/staff?right=erasure");
        var bySearch = await client.GetStringAsync("/staff?q=SECOND%40example.com");
        using var bad = await client.GetAsync("/staff?status=nonsense&waiting=everyone");
        var badHtml = await bad.Content.ReadAsStringAsync();

        Assert.True(all.IndexOf("first@example.com", StringComparison.Ordinal) < all.IndexOf("second@example.com", StringComparison.Ordinal), "The request due first is listed first.");
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", all, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", all, StringComparison.Ordinal);
        Assert.Contains("Waiting for the requester to confirm", all, StringComparison.Ordinal);
        Assert.Contains("first@example.com", erasures, StringComparison.Ordinal);
        Assert.DoesNotContain("second@example.com", erasures, StringComparison.Ordinal);
        Assert.Contains("second@example.com", bySearch, StringComparison.Ordinal);
        Assert.DoesNotContain("first@example.com", bySearch, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("href=\"#filter-status\">Choose a status from the list.", badHtml, StringComparison.Ordinal);
        Assert.Contains("href=\"#filter-waiting\">", badHtml, StringComparison.Ordinal);
        Assert.Contains(first, all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inbox_OverdueRequest_SaysSoInWords()
    {
        using var factory = new DataRightsFactory();
        using var api = factory.CreateClient();
        var late = await SubmitAndVerifyAsync(factory, api);
        await factory.AdvanceAsync(TimeSpan.FromDays(40));
        var recent = await SubmitAsync(api, factory.Services, "recent@example.com");
        using var client = ConsoleClient.Create(factory);
        await ConsoleClient.SignInAsync(client);

        var overdue = await client.GetStringAsync("/staff?overdue=yes");
        var all = await client.GetStringAsync("/staff");

        Assert.Contains($"/staff/requests/{late}", overdue, StringComparison.Ordinal);
        Assert.DoesNotContain($"/staff/requests/{recent}", overdue, StringComparison.Ordinal);
        Assert.Matches("<span class=\"tag overdue\">Overdue by [0-9]+ days</span>", overdue);
        Assert.True(all.IndexOf(late, StringComparison.Ordinal) < all.IndexOf(recent, StringComparison.Ordinal), "The overdue request leads.");
    }

    [Fact]
    public async Task RequestPage_Approve_CarriesTheRequestOutInTheSignedInPersonsName()
    {
        using var factory = new DataRightsFactory();
        using var api = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, api);
        using var client = ConsoleClient.Create(factory);
        await ConsoleClient.SignInAsync(client, "Ana Lopez");

        var before = await client.GetStringAsync($"/staff/requests/{id}");
        using var approved = await ConsoleClient.PostFormAsync(client, $"/staff/requests/{id}", $"/staff/requests/{id}/approve", ("approve-note", "Checked"));
        await factory.DrainAsync();
        var after = await client.GetStringAsync(approved.Headers.Location!.OriginalString);

        Assert.Contains("Waiting for approval", before, StringComparison.Ordinal);
        Assert.Contains("The audit trail is intact", before, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Equal($"/staff/requests/{id}?done=approve", approved.Headers.Location!.OriginalString);
        Assert.Contains("You approved the request", after, StringComparison.Ordinal);
        Assert.Matches("Approved \\(round 1\\)[^<]*<span class=\"hint\">Ana Lopez \\(staff\\)</span>", after);
        Assert.Contains("The audit trail is intact", after, StringComparison.Ordinal);
        Assert.Equal("completed", await StatusAsync(api, id));
    }

    [Fact]
    public async Task EvidencePack_ForSignedInStaffOnly_AsPrintablePageAndPdf()
    {
        using var factory = new DataRightsFactory();
        using var api = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, api);
        using var client = ConsoleClient.Create(factory);
        using var anonymous = await client.GetAsync($"/staff/requests/{id}/evidence.pdf");
        await ConsoleClient.SignInAsync(client);

        var page = await client.GetStringAsync($"/staff/requests/{id}");
        using var html = await client.GetAsync($"/staff/requests/{id}/evidence");
        using var pdf = await client.GetAsync($"/staff/requests/{id}/evidence.pdf");
        var bytes = await pdf.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Contains($"href=\"/staff/requests/{id}/evidence.pdf\"", page, StringComparison.Ordinal);

        // Staff read what the person asked in the third person.
        Assert.Contains("<dt>Asked to</dt><dd>delete their personal data</dd>", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Contains("no-store", html.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Contains("Jane Doe", await html.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.Equal("%PDF-", System.Text.Encoding.ASCII.GetString(bytes, 0, 5));
    }

    [Fact]
    public async Task Metrics_CountTheRequestsAndTheirTimes_AndTheCcpaCsvCountsCaliforniaOnly()
    {
        using var factory = new DataRightsFactory();
        using var api = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, api);
        using (var approved = await StaffPostAsync(api, $"/api/admin/requests/{id}/approve", new { note = "ok" }))
        {
            Assert.True(approved.IsSuccessStatusCode);
        }

        await factory.DrainAsync();
        using (var californian = await api.PostJsonAsync(new { type = "erasure", email = "ca@example.com", fullName = "Cal Resident", jurisdiction = "US-CA" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, californian.StatusCode);
        }

        // Answered once queued: counted once taken in.
        await factory.Services.TakenInAsync();
        using var client = ConsoleClient.Create(factory);
        await ConsoleClient.SignInAsync(client);

        var page = await client.GetStringAsync("/staff/metrics");
        using var csv = await client.GetAsync("/staff/metrics/ccpa.csv?year=2026");
        using var badYear = await client.GetAsync("/staff/metrics/ccpa.csv?year=20x6");
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("completed", await StatusAsync(api, id));
        Assert.Contains("100% closed on time (1 of 1)", page, StringComparison.Ordinal);
        Assert.Contains("<svg", page, StringComparison.Ordinal);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Calendar year,Right,Requests received,Complied with in whole or in part,Denied,Median days to respond", lines[0]);
        Assert.Contains("2026,Request to delete,1,0,0,", lines);
        Assert.Equal(HttpStatusCode.BadRequest, badYear.StatusCode);
    }

    [Fact]
    public async Task RequestPage_LegalHold_AdministratorsPlaceItFromThePage_ApproversDoNotSeeIt()
    {
        using var factory = new DataRightsFactory();
        using var api = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, api);
        using var approver = ConsoleClient.Create(factory);
        await ConsoleClient.SignInAsync(approver, "Ana Lopez", "approver");
        using var admin = ConsoleClient.Create(factory);
        await ConsoleClient.SignInAsync(admin, "Sam Admin", "admin");

        var approverPage = await approver.GetStringAsync($"/staff/requests/{id}");
        using var placed = await ConsoleClient.PostFormAsync(admin, $"/staff/requests/{id}", "/staff/holds",
            ("scope", "person"), ("email", "jane.doe@example.com"), ("reason", "Employment tribunal claim 2026/118"), ("returnUrl", $"/staff/requests/{id}"));
        var after = await admin.GetStringAsync(placed.Headers.Location!.OriginalString);

        Assert.DoesNotContain("Legal hold", approverPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, placed.StatusCode);
        Assert.StartsWith($"/staff/requests/{id}?done=hold-placed", placed.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Contains("You placed the legal hold.", after, StringComparison.Ordinal);
        Assert.Contains("Employment tribunal claim 2026/118", after, StringComparison.Ordinal);
        Assert.Contains("Lift this hold", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestPage_FormWithProblems_Is400NamingTheFieldAndChangesNothing()
    {
        using var factory = new DataRightsFactory();
        using var api = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, api);
        using var client = ConsoleClient.Create(factory);
        await ConsoleClient.SignInAsync(client);

        using var rejected = await ConsoleClient.PostFormAsync(client, $"/staff/requests/{id}", $"/staff/requests/{id}/reject", ("reason", "other"), ("reject-note", " "));
        using var asked = await ConsoleClient.PostFormAsync(client, $"/staff/requests/{id}", $"/staff/requests/{id}/ask", ("ask-question", new string('x', 2001)));
        var rejectedHtml = await rejected.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Contains("href=\"#reject-note\">Explain the reason to the requester.", rejectedHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, asked.StatusCode);
        Assert.Contains("href=\"#ask-question\">Write at most 2000 characters.", await asked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("awaiting_approval", await StatusAsync(api, id));
    }

    [Fact]
    public async Task RequestPage_ActionTheRequestDoesNotAllowNow_Is409SayingWhyAndChangesNothing()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var api = factory.CreateClient();
        var id = await SubmitAsync(api, factory.Services, "early@example.com");
        await factory.DrainAsync();
        using var client = ConsoleClient.Create(factory);
        await ConsoleClient.SignInAsync(client);
        var trailBefore = (await Trail(api, id)).Count;

        using var approved = await ConsoleClient.PostFormAsync(client, $"/staff/requests/{id}", $"/staff/requests/{id}/approve");

        Assert.Equal(HttpStatusCode.Conflict, approved.StatusCode);
        Assert.Contains("There is a problem. Nothing was changed.", await approved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("awaiting_verification", await StatusAsync(api, id));
        Assert.Equal(trailBefore, (await Trail(api, id)).Count);
    }

    [Fact]
    public async Task RequestAction_WithoutTheAntiForgeryToken_IsRefusedAndChangesNothing()
    {
        using var factory = new DataRightsFactory();
        using var api = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, api);
        using var client = ConsoleClient.Create(factory);
        await ConsoleClient.SignInAsync(client);

        using var posted = await client.PostAsync($"/staff/requests/{id}/approve", new FormUrlEncodedContent([new("approve-note", "forged")]));

        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Equal("awaiting_approval", await StatusAsync(api, id));
    }

    [Fact]
    public async Task RequestPage_UnknownRequestOrAction_Is404()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var client = ConsoleClient.Create(factory);
        await ConsoleClient.SignInAsync(client);

        using var page = await client.GetAsync("/staff/requests/dr_nothing");
        using var action = await client.PostAsync("/staff/requests/dr_nothing/delete-everything", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("Request not found", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, action.StatusCode);
    }

    private static async Task<List<System.Text.Json.JsonElement>> Trail(HttpClient api, string id)
    {
        using var request = Workflow.WorkflowEndToEndTests.Staff(HttpMethod.Get, $"/api/admin/requests/{id}/audit");
        using var response = await api.SendAsync(request);
        return [.. (await response.JsonAsync()).GetProperty("entries").EnumerateArray()];
    }
}
