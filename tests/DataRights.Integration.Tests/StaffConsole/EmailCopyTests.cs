using System.Net;
using System.Text.RegularExpressions;
using DataRights.Core.Ports;
using DataRights.Host.Email;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;
using Microsoft.Extensions.DependencyInjection;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.StaffConsole;

/// <summary>The emails sent about a request, listed on its console page, each with a copy staff can open that holds no link.</summary>
public sealed partial class EmailCopyTests
{
    [Fact]
    public async Task RequestPage_ListsTheEmailsSent_AndEachCopyHasTheTextButNoneOfItsLinks()
    {
        using var factory = new DataRightsFactory();
        using var api = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, api);
        var verification = factory.Outbox.Single(m => m.Links.Any(l => l.Contains("/verify/", StringComparison.Ordinal)));
        var approval = factory.Outbox.First(m => m.Links.Any(l => l.Contains("/approve/", StringComparison.Ordinal)));
        using var client = ConsoleClient.Create(factory);
        await ConsoleClient.SignInAsync(client);

        var page = await client.GetStringAsync($"/staff/requests/{id}");
        var copies = new List<string>();
        foreach (var link in CopyLinks(page, id))
        {
            using var response = await client.GetAsync(link);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
            copies.Add(await response.Content.ReadAsStringAsync());
        }

        var verificationCopy = copies.Single(c => c.Contains($"<h1>Email sent: {verification.Subject}</h1>", StringComparison.Ordinal));
        var approvalCopy = copies.First(c => c.Contains($"<h1>Email sent: {approval.Subject}</h1>", StringComparison.Ordinal) && c.Contains($"({approval.To})", StringComparison.Ordinal));

        Assert.Contains("<h2 id=\"emails-sent\">Emails sent</h2>", page, StringComparison.Ordinal);
        Assert.Matches($"<td>The requester</td>\\s*<td>{Regex.Escape(verification.Subject)}</td>", page);
        Assert.Matches($"<td>The approvers</td>\\s*<td>{Regex.Escape(approval.Subject)}</td>", page);
        Assert.Equal(factory.Outbox.Count, copies.Count);
        Assert.Contains("The requester (jane.doe@example.com)", verificationCopy, StringComparison.Ordinal);
        Assert.Contains("Dear Jane Doe,", verificationCopy, StringComparison.Ordinal);
        Assert.Contains("[link: Confirm my request — removed from this copy]", verificationCopy, StringComparison.Ordinal);
        Assert.Contains("[link: Review and decide — removed from this copy]", approvalCopy, StringComparison.Ordinal);
        foreach (var sent in factory.Outbox)
        {
            Assert.All(copies, copy => AssertHoldsNoLinkOf(sent, copy));
        }
    }

    [Fact]
    public async Task EmailCopy_OfAnotherRequestOrUnknown_IsNotFound_AndAdministratorsReadThemToo()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var api = factory.CreateClient();
        var first = await SubmitAsync(api, factory.Services, "first@example.com");
        var second = await SubmitAsync(api, factory.Services, "second@example.com");
        await factory.DrainAsync();
        using var client = ConsoleClient.Create(factory);
        using var anonymous = await client.GetAsync(CopyLinks(await AsAdminAsync(factory, first), first)[0]);
        await ConsoleClient.SignInAsync(client, "Ana Lopez", "admin");

        var secondsCopy = Assert.Single(CopyLinks(await client.GetStringAsync($"/staff/requests/{second}"), second));
        using var own = await client.GetAsync(secondsCopy);
        using var crossed = await client.GetAsync(secondsCopy.Replace($"/staff/requests/{second}/", $"/staff/requests/{first}/", StringComparison.Ordinal));
        using var unknown = await client.GetAsync($"/staff/requests/{first}/emails/{Uri.EscapeDataString(first + ":message:completion:1")}");

        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains("second@example.com", await own.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, crossed.StatusCode);
        var crossedHtml = await crossed.Content.ReadAsStringAsync();
        Assert.Contains("Email not found", crossedHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("second@example.com", crossedHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task RequestPage_BeforeAnyEmail_SaysNoneWasSent()
    {
        // Work is handed over only when drained, so the verification email has not gone when the page is read.
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry(), AnnounceOnlyWhenDrained = true };
        using var api = factory.CreateClient();
        var id = await SubmitAsync(api, factory.Services);

        var before = await AsAdminAsync(factory, id);
        await factory.DrainAsync();
        var after = await AsAdminAsync(factory, id);

        Assert.Contains("No email has been sent about this request yet.", before, StringComparison.Ordinal);
        Assert.DoesNotContain("No email has been sent", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Copies_StepRunAgainAndADigest_OneCopyPerMessageAndNoneOfTheDigest()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var api = factory.CreateClient();
        var id = await SubmitAsync(api, factory.Services);
        await factory.DrainAsync();
        var store = factory.Services.GetRequiredService<ISentEmailCopies>();
        var before = await store.ListAsync(id, CancellationToken.None);

        // The message's step delivered again (a crash after sending, before its work was marked done).
        var (putBack, ranAgain) = await factory.RunStepsAgainAsync(StepRedelivery.IsEmail);
        var composer = factory.Services.GetRequiredService<MessageComposer>();
        var request = (await factory.Services.GetRequiredService<IRequestStore>().GetAsync(id, CancellationToken.None))!;
        var digest = composer.ComposeDigest("digest:202603020700", new DateOnly(2026, 3, 2), [request], []);
        await factory.Services.GetRequiredService<DataRights.Core.Email.IEmailSender>().SendAsync(digest, CancellationToken.None);

        Assert.NotEqual(0, putBack);
        Assert.Equal(putBack, ranAgain);
        var copy = Assert.Single(before);
        Assert.Equal([copy], await store.ListAsync(id, CancellationToken.None));
        Assert.Empty(await store.ListAsync("digest", CancellationToken.None));
        Assert.Contains(factory.Outbox, m => m.Subject == digest.Subject);
    }

    private static async Task<string> AsAdminAsync(DataRightsFactory factory, string id)
    {
        using var admin = ConsoleClient.Create(factory);
        await ConsoleClient.SignInAsync(admin, "Sam Admin", "admin");
        return await admin.GetStringAsync($"/staff/requests/{id}");
    }

    /// <summary>The copy page holds neither a link the email carried nor its token.</summary>
    private static void AssertHoldsNoLinkOf(OutboxMessage sent, string copyHtml)
    {
        foreach (var link in sent.Links)
        {
            var token = new Uri(link).AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries)[^1];
            Assert.DoesNotContain(link, copyHtml, StringComparison.Ordinal);
            Assert.DoesNotContain(token, copyHtml, StringComparison.Ordinal);
        }
    }

    /// <summary>The "Open the copy" addresses on a request page, in the order listed.</summary>
    private static List<string> CopyLinks(string page, string id) =>
        [.. CopyLink().Matches(page).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).Where(href => href.StartsWith($"/staff/requests/{id}/emails/", StringComparison.Ordinal))];

    [GeneratedRegex("<a href=\"(/staff/requests/[^\"]+/emails/[^\"]+)\">Open the copy")]
    private static partial Regex CopyLink();
}
