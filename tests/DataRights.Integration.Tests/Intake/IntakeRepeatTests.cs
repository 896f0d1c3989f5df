using System.Net;
using DataRights.Integration.Tests.Infrastructure;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.Intake;

/// <summary>
/// Repeat submissions: nobody can lock a person out or fill their inbox by submitting in their name, and a repeat
/// never hands out the request's status link (it goes to the address on the request instead).
/// </summary>
public sealed class IntakeRepeatTests
{
    private const string Victim = "victim@example.com";

    [Fact]
    public async Task Submit_ManyUnverifiedForSomeoneElse_NeverLocksOutThePersonOrStaffAndSendsAtMostTheDailyLimit()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var types = new[] { "erasure", "access", "portability", "restriction", "objection" };

        using (var first = await client.PostJsonAsync(Submissions.Valid(Victim, types[0], details: "attacker 0")))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        var answers = new List<string>();
        for (var i = 1; i < 8; i++)
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(6));
            using var again = await client.PostJsonAsync(Submissions.Valid(Victim, types[i % types.Length], details: $"attacker {i}"));
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
            answers.Add(await again.Content.ReadAsStringAsync());
            await factory.DrainAsync();
        }

        factory.Clock.Advance(TimeSpan.FromMinutes(6));
        using var person = await client.PostJsonAsync(new { type = "access", email = Victim, fullName = "Vic Tim", jurisdiction = "UK" });
        await factory.DrainAsync();
        var verificationEmails = factory.Outbox.Count(m => m.To == Victim && m.Subject.StartsWith("Please confirm", StringComparison.Ordinal));
        using var staff = await StaffPostAsync(client, "/api/admin/requests", new { type = "access", email = Victim, fullName = "Vic Tim", channel = "post", receivedAt = "2026-11-01" });

        // Every answer is the same, whether the link was emailed again or the daily limit had been reached: whoever
        // sends them learns nothing of the address, and the person's inbox gets at most the daily limit.
        answers.Add(await person.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Accepted, person.StatusCode);
        Assert.Single(answers.Distinct(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.Created, staff.StatusCode);
        Assert.Equal(3, verificationEmails);
        Assert.Equal(2, await factory.Stored.RequestCountAsync());
    }

    [Fact]
    public async Task Submit_WhileTheAddressHasARequestWaiting_ThePersonGetsItsLinkAgainAndCanConfirmIt()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        using (await client.PostJsonAsync(Submissions.Valid(Victim, "erasure", details: "not from the person")))
        {
        }

        await factory.DrainAsync();
        var before = factory.Outbox.Count;
        factory.Clock.Advance(TimeSpan.FromMinutes(10));

        using var person = await client.PostJsonAsync(new { type = "access", email = Victim, fullName = "Vic Tim", jurisdiction = "UK" });
        await factory.DrainAsync();

        Assert.Equal(HttpStatusCode.Accepted, person.StatusCode);
        Assert.Equal("received", (await person.JsonAsync()).GetProperty("status").GetString());
        var resent = Assert.Single(factory.Outbox.Skip(before), m => m.To == Victim);
        Assert.Equal(Victim, resent.To);
        // The access request was not registered, and the email says so (the person asked for access, not erasure).
        Assert.Contains("We have received your request to delete your personal data.", resent.Text, StringComparison.Ordinal);
        Assert.Contains(
            "We also received a request from this email address to see the personal data we hold about you. While a request is waiting for you to confirm it, we do not start another one, so we have not registered that request. Once you have confirmed this one, please send the other request again.",
            resent.Text,
            StringComparison.Ordinal);
        Assert.Equal(1, await factory.Stored.RequestCountAsync());
        await FollowAsync(client, resent.PathOfLink("/verify/"), "Yes, this is my request");
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        using var afterConfirming = await client.PostJsonAsync(new { type = "access", email = Victim, fullName = "Vic Tim", jurisdiction = "UK" });
        Assert.Equal(HttpStatusCode.Accepted, afterConfirming.StatusCode);
    }

    [Theory]
    [InlineData("Jane Doe")]
    [InlineData("JANE DOE")]
    [InlineData("jane doe")]
    public async Task Submit_RepeatOfAConfirmedRequest_IsAnsweredAlike_AndItsLinkIsEmailedToTheRequestAddress(string name)
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        await Journeys.SubmitAndVerifyAsync(factory, client, "access", "Jane Doe", "jane.doe@example.com");
        var statusLinks = factory.Outbox.SelectMany(m => m.Links).Where(l => l.Contains("/status/", StringComparison.Ordinal)).Select(l => new Uri(l).AbsolutePath).ToHashSet();
        factory.Clock.Advance(TimeSpan.FromMinutes(6));
        var before = factory.Outbox.Count;

        using var repeat = await client.PostJsonAsync(new { type = "access", email = "Jane.Doe@Example.com", fullName = name, jurisdiction = "UK" });
        var text = await repeat.Content.ReadAsStringAsync();
        await factory.DrainAsync();

        Assert.Equal(HttpStatusCode.Accepted, repeat.StatusCode);
        Assert.Null(repeat.Headers.Location);
        Assert.DoesNotContain("/status/", text, StringComparison.Ordinal);
        Assert.Contains("We will email the address you gave", text, StringComparison.Ordinal);
        var emailed = Assert.Single(factory.Outbox.Skip(before), m => m.To == "jane.doe@example.com");
        Assert.Equal("jane.doe@example.com", emailed.To);
        Assert.Contains(new Uri(emailed.Links.Single(l => l.Contains("/status/", StringComparison.Ordinal))).AbsolutePath, statusLinks);
        Assert.Equal(1, await factory.Stored.RequestCountAsync());
    }

    [Fact]
    public async Task SubmitForm_NewAndRepeat_ShowTheSamePage_WithNoStatusLink()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var fields = new Dictionary<string, string> { ["type"] = "access", ["email"] = "form@example.com", ["fullName"] = "Fay Orm", ["jurisdiction"] = "UK" };

        var first = await PostFormAsync(client, fields);
        factory.Clock.Advance(TimeSpan.FromMinutes(6));
        fields["fullName"] = "FAY ORM";
        var second = await PostFormAsync(client, fields);

        Assert.Equal(MainContent(first), MainContent(second));
        Assert.DoesNotContain("/status/", first, StringComparison.Ordinal);
        Assert.Contains("Check your email", second, StringComparison.Ordinal);
        Assert.DoesNotContain("form@example.com", second, StringComparison.Ordinal);
        Assert.Equal(1, await factory.Stored.RequestCountAsync());
    }

    [Fact]
    public async Task Submit_PerClientLimit_AnswersAProblemWithATypeAndAPlainMessage()
    {
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?> { ["DataRights:Intake:PerClientPermitLimit"] = "1" });
        using var client = factory.CreateClient();
        using (await client.PostJsonAsync(Submissions.Valid("one@example.com")))
        {
        }

        using var limited = await client.PostJsonAsync(Submissions.Valid("two@example.com"));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var problem = await limited.JsonAsync();
        Assert.Equal("urn:datarights:problem:too-many-submissions", problem.GetProperty("type").GetString());
        Assert.StartsWith("Too many submissions from your network", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task<string> PostFormAsync(HttpClient client, Dictionary<string, string> fields)
    {
        var form = await client.GetStringAsync("/");
        using var response = await client.PostAsync("/", new FormUrlEncodedContent(fields.Append(new("__csrf", Forms.CsrfToken(form)))));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>A page's main content (its form tokens and nonces aside).</summary>
    private static string MainContent(string page)
    {
        var start = page.IndexOf("<main", StringComparison.Ordinal);
        var end = page.IndexOf("</main>", StringComparison.Ordinal);
        return start >= 0 && end > start ? page[start..end] : page;
    }
}
