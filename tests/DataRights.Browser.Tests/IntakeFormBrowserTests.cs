using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace DataRights.Browser.Tests;

/// <summary>A person using the form in a real browser with JavaScript switched off.</summary>
public sealed partial class IntakeFormBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Form_WithoutJavaScript_SubmitsAndTheEmailedLinkLeadsToTheStatusPage()
    {
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false, BaseURL = fixture.BaseAddress.ToString() });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
        await page.GetByLabel("Delete my personal data").CheckAsync();
        await page.GetByLabel("Full name").FillAsync("Alex <b>Morgan</b>");
        await page.GetByLabel("Email address").FillAsync("alex.morgan@example.com");
        await page.GetByLabel("Where do you live?").SelectOptionAsync("UK");
        await page.GetByLabel("Customer or account number (optional)").FillAsync("ACC-2002");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();

        // The page is the same whatever became of the submission: the reference and the status link go by email.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your email" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "confirmation.png"), FullPage = true });
        await fixture.Factory.DrainAsync();
        var email = fixture.Factory.Outbox.Last(m => m.To == "alex.morgan@example.com" && m.Subject.StartsWith("Please confirm", StringComparison.Ordinal));
        var reference = Reference().Match(email.Subject).Value;
        Assert.NotEmpty(reference);

        await page.GotoAsync(new Uri(email.Links.Single(l => l.Contains("/status/", StringComparison.Ordinal))).PathAndQuery);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Request " + reference })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("We are waiting for you to confirm your email address.").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("We received your request.").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "status.png"), FullPage = true });
    }

    [Fact]
    public async Task Form_WithMistakes_ShowsAnErrorSummaryLinkedToTheFields()
    {
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false, BaseURL = fixture.BaseAddress.ToString() });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
        await page.GetByLabel("Full name").FillAsync("<script>document.title='owned'</script>");
        await page.GetByLabel("Email address").FillAsync("not-an-email");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();

        var summary = page.GetByRole(AriaRole.Alert);
        await Assertions.Expect(summary).ToContainTextAsync("There is a problem");
        await Assertions.Expect(summary.GetByRole(AriaRole.Link, new() { Name = "Choose what you would like us to do with your data." })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Email address")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.GetByLabel("Full name")).ToHaveValueAsync("<script>document.title='owned'</script>");
        Assert.DoesNotContain("owned", await page.TitleAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "errors.png"), FullPage = true });

        await summary.GetByRole(AriaRole.Link, new() { Name = "Enter an email address in the correct format, like name@example.com." }).ClickAsync();

        await Assertions.Expect(page.GetByLabel("Email address")).ToBeFocusedAsync();
    }

    [GeneratedRegex(@"DR-\d{4}-\d{6}")]
    private static partial Regex Reference();
}
