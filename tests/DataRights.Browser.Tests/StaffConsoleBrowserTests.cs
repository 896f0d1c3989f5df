using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Host.Requests;
using DataRights.Host.Staff;
using DataRights.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace DataRights.Browser.Tests;

/// <summary>A privacy officer using the staff console in a real browser with JavaScript off, and axe-core checking each page.</summary>
public sealed class StaffConsoleBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Officer_SignsIn_FindsTheOverdueRequest_ApprovesIt_AndSeesTheTimelineMoveOn()
    {
        using var http = new HttpClient { BaseAddress = fixture.BaseAddress };
        await Journeys.SubmitAndVerifyAsync(fixture.Factory, http, "erasure", "Sam Overdue", "sam.overdue@example.com");
        await fixture.Factory.AdvanceAsync(TimeSpan.FromDays(40));
        await Journeys.SubmitAndVerifyAsync(fixture.Factory, http, "access", "Robin Recent", "robin.recent@example.com");

        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false, BaseURL = fixture.BaseAddress.ToString() });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/staff");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to the privacy console" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "console-sign-in.png"), FullPage = true });
        await page.GetByLabel("Your name").FillAsync("Ana Lopez");
        await page.GetByLabel("Approver: decide on requests").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Open requests" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "console-inbox.png"), FullPage = true });
        await page.GetByLabel("Overdue only").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Show requests" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Sam Overdue" });
        await Assertions.Expect(row).ToContainTextAsync("Overdue by");
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Robin Recent" })).ToHaveCountAsync(0);
        await row.GetByRole(AriaRole.Link).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Timeline" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("The audit trail is intact")).ToBeVisibleAsync();
        var entriesBefore = await page.Locator("ol.timeline li").CountAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "console-request.png"), FullPage = true });
        await page.GetByLabel("Note (optional)").FillAsync("Checked against the CRM");
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve and carry out" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("You approved the request");
        await fixture.Factory.DrainAsync();
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("ol.timeline")).ToContainTextAsync("Approved (round 1)");
        await Assertions.Expect(page.Locator("ol.timeline")).ToContainTextAsync("Ana Lopez (staff)");
        await Assertions.Expect(page.Locator("ol.timeline")).ToContainTextAsync("Request completed");
        Assert.True(await page.Locator("ol.timeline li").CountAsync() > entriesBefore);
        await Assertions.Expect(page.GetByText("The audit trail is intact")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ConsolePages_HaveNoSeriousOrCriticalAccessibilityProblems()
    {
        using var http = new HttpClient { BaseAddress = fixture.BaseAddress };
        await Journeys.SubmitAndVerifyAsync(fixture.Factory, http, "rectification", "Kim Axe", "kim.axe@example.com", "My phone number is wrong");

        // axe-core runs as a script: this context allows scripts (the pages have none of their own) and lets axe past the CSP.
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseAddress.ToString(), BypassCSP = true });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        async Task CheckAsync(string what)
        {
            var result = await page.RunAxe();
            problems.AddRange(result.Violations
                .Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{what}: {v.Id} ({v.Impact}) {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}"));
        }

        await page.GotoAsync("/staff/signin");
        await CheckAsync("sign-in");
        await page.GetByLabel("Your name").FillAsync("Ana Lopez");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Open requests" })).ToBeVisibleAsync();
        await CheckAsync("inbox");
        await page.GotoAsync("/staff?status=nonsense");
        await CheckAsync("inbox with a problem");
        // A request received but set aside (its taking in kept stopping the program), as the hourly check leaves it.
        var inbox = fixture.Factory.Services.GetRequiredService<ISubmissionInbox>();
        var arrived = fixture.Factory.Clock.GetUtcNow();
        var aside = new ReceivedSubmission(RequestIds.New(), IntakeChannel.WebForm, arrived, new IntakeSubmission("erasure", "set.aside@example.com", "Sol Aside", "EU", null, "Please delete my account"));
        await inbox.AddAsync(aside, CancellationToken.None);
        await inbox.MarkAsync(aside.Id, new SubmissionSetAside(arrived, 3, TryAgain: false), CancellationToken.None);
        await page.GotoAsync("/staff");
        await page.GetByRole(AriaRole.Link, new() { Name = "See the requests set aside" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Requests set aside" })).ToBeVisibleAsync();
        await CheckAsync("requests set aside");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "console-set-aside.png"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove it" }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Confirm that you have handled this request by hand");
        await CheckAsync("requests set aside with a problem");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Say how you handled this request");
        await page.GetByLabel("Done as they asked").CheckAsync();
        await page.GetByLabel("The day you answered them").FillAsync(fixture.Factory.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("How you handled it").FillAsync("Answered by email from the privacy mailbox, ticket PRIV-7.");
        await page.GetByLabel("I have handled this request by hand, outside DataRights").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove it" }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("You removed it and recorded how you handled it");
        await Assertions.Expect(page.GetByRole(AriaRole.Table).GetByRole(AriaRole.Row).Filter(new() { HasText = "ticket PRIV-7" })).ToContainTextAsync("by Ana Lopez");
        await CheckAsync("requests set aside, one handled by hand");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "console-set-aside-handled.png"), FullPage = true });
        Assert.Null(await inbox.GetAsync(aside.Id, CancellationToken.None));

        await page.GotoAsync("/staff?right=rectification");
        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Kim Axe" }).GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Timeline" })).ToBeVisibleAsync();
        await CheckAsync("request");
        await page.GetByRole(AriaRole.Link, new() { Name = "Open the copy" }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Email sent");
        await CheckAsync("email copy");
        await page.GoBackAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "open it to print" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Evidence");
        await CheckAsync("evidence pack");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "console-evidence-pack.png"), FullPage = true });
        await page.GoBackAsync();
        await page.Locator("#reject-reason").SelectOptionAsync("other");
        await page.GetByRole(AriaRole.Button, new() { Name = "Reject the request" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("There is a problem");
        await CheckAsync("request with a problem");

        Assert.Empty(problems);
    }

    [Fact]
    public async Task AdminPages_HaveNoSeriousOrCriticalAccessibilityProblems()
    {
        using var http = new HttpClient { BaseAddress = fixture.BaseAddress };
        var runId = await DryPurgeAsync(http);

        // axe-core runs as a script: this context allows scripts (the pages have none of their own) and lets axe past the CSP.
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseAddress.ToString(), BypassCSP = true });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        async Task CheckAsync(string what, string screenshot)
        {
            var result = await page.RunAxe();
            problems.AddRange(result.Violations
                .Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{what}: {v.Id} ({v.Impact}) {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}"));
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, screenshot), FullPage = true });
        }

        await page.GotoAsync("/staff/signin?returnUrl=%2Fstaff%2Fsources");
        await page.GetByLabel("Your name").FillAsync("Ada Admin");
        await page.GetByLabel("Administrator: also sources, retention and purges").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sources", Exact = true })).ToBeVisibleAsync();
        await CheckAsync("sources", "console-sources.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "Test the connection to Customer records (CRM)" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Customer records (CRM): connected.");
        await CheckAsync("sources with a connection test", "console-sources-tested.png");

        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Holds" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Legal holds" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Place the hold" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("There is a problem");
        await CheckAsync("holds with a problem", "console-holds-problem.png");
        await page.GetByLabel("The person's email address (for a hold on a person)").FillAsync("held.in.browser@example.com");
        await page.GetByLabel("Reason").FillAsync("Employment tribunal claim 2026/114");
        await page.GetByRole(AriaRole.Button, new() { Name = "Place the hold" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("You placed the legal hold");
        await CheckAsync("holds", "console-holds.png");

        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Suppression" }).ClickAsync();
        await page.GetByLabel("Email address").FillAsync("someone@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check the address" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("No: not on the suppression list");
        await CheckAsync("suppression check", "console-suppression.png");

        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Retention" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Retention policies" })).ToBeVisibleAsync();
        await CheckAsync("retention", "console-retention.png");

        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Purges" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Retention purges" })).ToBeVisibleAsync();
        await CheckAsync("purges", "console-purges.png");
        await page.Locator($"a[href='/staff/purges/{runId}']").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Purge of EU West" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Download this report as a spreadsheet (CSV)" })).ToBeVisibleAsync();
        await CheckAsync("purge report", "console-purge-report.png");

        Assert.Empty(problems);
    }

    /// <summary>A dry purge run of EU West through the staff API, followed until it has finished; its id.</summary>
    private static async Task<string> DryPurgeAsync(HttpClient http)
    {
        HttpRequestMessage Staff(HttpMethod method, string path)
        {
            var request = new HttpRequestMessage(method, path);
            request.Headers.Add(DevUserAuthenticationHandler.HeaderName, "Priya Officer");
            return request;
        }

        using var start = Staff(HttpMethod.Post, "/api/admin/purges");
        start.Content = JsonContent.Create(new { region = "eu-west", dryRun = true });
        using var started = await http.SendAsync(start);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var status = await started.Content.ReadFromJsonAsync<JsonElement>();
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (status.GetProperty("state").GetString() == "running")
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), patience.Token);
            using var ask = Staff(HttpMethod.Get, status.GetProperty("statusUrl").GetString()!);
            using var answer = await http.SendAsync(ask);
            status = await answer.Content.ReadFromJsonAsync<JsonElement>();
        }

        Assert.Equal("finished", status.GetProperty("state").GetString());
        return status.GetProperty("id").GetString()!;
    }
}
