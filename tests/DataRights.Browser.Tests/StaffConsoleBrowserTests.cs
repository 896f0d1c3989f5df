using Deque.AxeCore.Playwright;
using DataRights.Integration.Tests.Infrastructure;
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
        await page.GotoAsync("/staff?right=rectification");
        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Kim Axe" }).GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Timeline" })).ToBeVisibleAsync();
        await CheckAsync("request");
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
}
