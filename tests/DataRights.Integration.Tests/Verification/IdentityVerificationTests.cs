using System.Globalization;
using System.Net;
using System.Text.Json;
using DataRights.Core.Requests;
using DataRights.Core.Verification;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Integration.Tests.Workflow;

namespace DataRights.Integration.Tests.Verification;

/// <summary>
/// Verification proportionate to the right and the law, end to end over HTTP with the demo sources: the page asks for
/// what the level needs, discovery matches the details (read only), and the outcome follows the law's fallback.
/// No detail's value reaches the logs, the events, the audit trail or the staff's emails.
/// </summary>
public sealed class IdentityVerificationTests
{
    private const int Person = 57;

    [Fact]
    public async Task CaliforniaAccess_ThreeDetailsMatchAndADeclaration_IsAnsweredWithACopyAndNoValueIsKept()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var (name, email, account) = DemoCrmConnector.Person(Person);
        var id = await SubmitAsync(factory, client, "access", name, email, "US-CA");
        var verify = factory.Outbox.Single(m => m.Subject.StartsWith("Please confirm", StringComparison.Ordinal));
        Assert.Contains("we will also ask you for 3 details we hold about you", verify.Text, StringComparison.Ordinal);
        var page = WebUtility.HtmlDecode(await client.GetStringAsync(verify.PathOfLink("/verify/")));
        Assert.Contains("name=\"dataPoints.phone\"", page, StringComparison.Ordinal);
        Assert.Contains("name=\"dataPoints.lastInvoiceAmount\"", page, StringComparison.Ordinal);
        Assert.Contains("under penalty of perjury under the laws of the State of California", page, StringComparison.Ordinal);
        Assert.Contains("<p class=\"service\">Your personal data</p>", page, StringComparison.Ordinal);

        await WorkflowEndToEndTests.FollowAsync(client, verify.PathOfLink("/verify/"), "Yes, this is my request",
            ("dataPoints.phone", Phone(Person)), ("dataPoints.accountNumber", account.ToLowerInvariant()), ("dataPoints.lastInvoiceAmount", "$41.99"),
            ("declaration", "yes"), ("signedAs", name));
        await factory.DrainAsync();
        var approval = factory.Outbox.Single(m => m.To == "approver@example.com");
        Assert.Contains("Identity: Followed the emailed link; 3 of the 3 details they gave matched our records (3 needed). Declaration signed as \"" + name + "\" on ", approval.Text, StringComparison.Ordinal);
        await WorkflowEndToEndTests.FollowAsync(client, approval.PathOfLink("/approve/"), "Approve and carry out", ("decision", "approve"));
        await factory.DrainAsync();

        Assert.Contains(factory.Outbox, m => m.To == email && m.Subject.StartsWith("Your data is ready", StringComparison.Ordinal));
        var check = Assert.Single(await factory.Stored.AuditAsync("verification.checked"));
        Assert.Equal(("3", "3", "passed"), (check.Detail("required"), check.Detail("matched"), check.Detail("outcome")));
        var signed = Assert.Single(await factory.Stored.AuditAsync("verification.declaration_signed"));
        Assert.Equal(name, signed.Detail("signedAs"));
        Assert.Contains("penalty of perjury", signed.Detail("declaration"), StringComparison.Ordinal);
        var given = Assert.Single(await factory.Stored.AuditAsync("verification.details_given"));
        Assert.Matches("^phone=hmac-sha256:[0-9a-f]{64}; accountNumber=hmac-sha256:[0-9a-f]{64}; lastInvoiceAmount=hmac-sha256:[0-9a-f]{64}$", given.Detail("hashes"));
        Assert.Null((await factory.Stored.SingleRequestAsync()).DataPoints);

        // The evidence pack (the staff's audit trail) shows the declaration; nothing anywhere holds a value.
        using var trail = WorkflowEndToEndTests.Staff(HttpMethod.Get, $"/api/admin/requests/{id}/audit");
        using var response = await client.SendAsync(trail);
        var evidence = await response.Content.ReadAsStringAsync();
        Assert.Contains("verification.declaration_signed", evidence, StringComparison.Ordinal);
        // The amount's comparable form (4199) could turn up inside any hash, so it is checked as typed only.
        await AssertNoValueKeptAsync(factory, evidence, Phone(Person), GivenDataPoint.Comparable(Phone(Person)), GivenDataPoint.Comparable(GivenDataPoint.PhoneField, Phone(Person)), account, GivenDataPoint.Comparable(account), "$41.99", "41.99");
    }

    [Fact]
    public async Task CaliforniaAccess_TwoOfThreeMatch_IsAnsweredWithCategoriesSayingWhy()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var (name, email, account) = DemoCrmConnector.Person(Person + 1);
        await SubmitAsync(factory, client, "access", name, email, "US-CA");

        await VerifyAsync(factory, client, ("dataPoints.phone", Phone(Person + 1)), ("dataPoints.accountNumber", account), ("dataPoints.lastInvoiceAmount", "12.00"),
            ("declaration", "yes"), ("signedAs", name));
        var approval = factory.Outbox.Single(m => m.To == "approver@example.com");
        Assert.Contains("Identity: Only 2 of the 3 details they gave matched our records, fewer than the 3 the law asks before disclosing specific pieces.", approval.Text, StringComparison.Ordinal);
        var page = WebUtility.HtmlDecode(await client.GetStringAsync(approval.PathOfLink("/approve/")));
        Assert.Contains("We email the requester the categories of personal information found in each system", page, StringComparison.Ordinal);
        await WorkflowEndToEndTests.FollowAsync(client, approval.PathOfLink("/approve/"), "Approve and carry out", ("decision", "approve"));
        await factory.DrainAsync();

        var answer = factory.Outbox.Single(m => m.To == email && m.Subject.Contains("the kinds of personal information we hold", StringComparison.Ordinal));
        Assert.Contains("not enough of the details you gave matched the records we hold", answer.Text, StringComparison.Ordinal);
        Assert.Contains("Billing: Invoices", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("invoice amount", answer.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(factory.Outbox, m => m.Subject.StartsWith("Your data is ready", StringComparison.Ordinal));
        Assert.Equal(RequestStatus.Completed, (await factory.Stored.SingleRequestAsync()).Status);
    }

    [Fact]
    public async Task CaliforniaDeletion_PhoneTypedAsDialledAtHomeAndFullWidthAccount_Match()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var (name, email, account) = DemoCrmConnector.Person(Person + 9);
        await SubmitAsync(factory, client, "erasure", name, email, "US-CA");

        // The CRM holds "+44 7700 9…" and "ACC-…": the person types "07700 9…" and the account number from a Japanese keyboard.
        var fullWidth = string.Concat(account.Select(c => c is >= '!' and <= '~' ? (char)(c - '!' + '\uFF01') : c));
        await VerifyAsync(factory, client, ("dataPoints.phone", "0" + Phone(Person + 9)[4..]), ("dataPoints.accountNumber", fullWidth));

        Assert.Equal("passed", Assert.Single(await factory.Stored.AuditAsync("verification.checked")).Detail("outcome"));
        Assert.Equal(RequestStatus.AwaitingApproval, (await factory.Stored.SingleRequestAsync()).Status);
    }

    [Fact]
    public async Task CaliforniaDeletion_DetailsDoNotMatch_IsRefusedWithReasonsAndNothingIsErased()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var (name, email, _) = DemoCrmConnector.Person(Person + 2);
        await SubmitAsync(factory, client, "erasure", name, email, "US-CA");

        await VerifyAsync(factory, client, ("dataPoints.phone", "+44 7700 900000"), ("dataPoints.accountNumber", "ACC-0000"));

        var refusal = factory.Outbox.Single(m => m.To == email && m.Subject.StartsWith("We could not carry out", StringComparison.Ordinal));
        Assert.Contains("before we delete personal information: not enough of the details you gave matched the records we hold", refusal.Text, StringComparison.Ordinal);
        Assert.Contains("the right to complain", refusal.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("phone", refusal.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(RequestStatus.Rejected, (await factory.Stored.SingleRequestAsync()).Status);
        Assert.Equal(1, Database.Scalar(Path.Combine(factory.DataDirectory, "sources", "crm.db"), "SELECT COUNT(*) FROM contacts WHERE email = $e", ("$e", email)));
        Assert.DoesNotContain(factory.Outbox, m => m.To == "approver@example.com");
    }

    [Fact]
    public async Task UkLevelConfigured_NotMatched_AsksOnceMoreThenGoesOnWhenMatched()
    {
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?>
        {
            ["DataRights:Verification:Levels:UK:erasure:DataPoints"] = "1",
        });
        using var client = factory.CreateClient();
        var (name, email, account) = DemoCrmConnector.Person(Person + 3);
        await SubmitAsync(factory, client, "erasure", name, email, "UK");

        await VerifyAsync(factory, client, ("dataPoints.postcode", "SW1A 1AA"));

        var again = factory.Outbox.Single(m => m.To == email && m.Subject.StartsWith("Please check the details", StringComparison.Ordinal));
        Assert.Contains("did not match the records we hold", again.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("postcode", again.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(RequestStatus.AwaitingVerification, (await factory.Stored.SingleRequestAsync()).Status);
        var page = WebUtility.HtmlDecode(await client.GetStringAsync(again.PathOfLink("/verify/")));
        Assert.Contains("The details you gave before did not match", page, StringComparison.Ordinal);
        Assert.DoesNotContain("declaration", page, StringComparison.Ordinal);

        await WorkflowEndToEndTests.FollowAsync(client, again.PathOfLink("/verify/"), "Yes, this is my request", ("dataPoints.accountNumber", account));
        await factory.DrainAsync();

        Assert.Equal(RequestStatus.AwaitingApproval, (await factory.Stored.SingleRequestAsync()).Status);
        Assert.Equal(["asked-again", "passed"], (await factory.Stored.AuditAsync("verification.checked")).Select(e => e.Detail("outcome")));
    }

    [Fact]
    public async Task UkLevelConfigured_AskedAgainDaysLater_TheSecondRoundsReminderGivesItsOwnClosingDate()
    {
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?>
        {
            ["DataRights:Verification:Levels:UK:erasure:DataPoints"] = "1",
        });
        using var client = factory.CreateClient();
        var (name, email, _) = DemoCrmConnector.Person(Person + 12);
        await SubmitAsync(factory, client, "erasure", name, email, "UK");
        var first = factory.Outbox.Single(m => m.Subject.StartsWith("Please confirm", StringComparison.Ordinal));
        await factory.AdvanceAsync(TimeSpan.FromDays(2.5));
        var askedAt = factory.Clock.GetUtcNow();
        await WorkflowEndToEndTests.FollowAsync(client, first.PathOfLink("/verify/"), "Yes, this is my request", ("dataPoints.postcode", "SW1A 1AA"));
        await factory.DrainAsync();
        var seen = factory.Outbox.Select(m => m.FileName).ToHashSet(StringComparer.Ordinal);

        await factory.AdvanceAsync(TimeSpan.FromDays(3.1));

        var reminder = factory.Outbox.Single(m => !seen.Contains(m.FileName) && m.Subject.StartsWith("Reminder: please confirm", StringComparison.Ordinal));
        var closesOn = DateOnly.FromDateTime((askedAt + TimeSpan.FromDays(14)).UtcDateTime);
        Assert.Contains("by " + DataRights.Host.Pages.RequestTexts.LongDate(closesOn), reminder.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UkLevelConfigured_AskedAgain_AnUnusedFirstRoundLinkCannotAnswerTheSecondRound()
    {
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?>
        {
            ["DataRights:Verification:Levels:UK:erasure:DataPoints"] = "1",
        });
        using var client = factory.CreateClient();
        var (name, email, account) = DemoCrmConnector.Person(Person + 10);
        await SubmitAsync(factory, client, "erasure", name, email, "UK");

        // The same request sent again while it waits (after the 5 minutes between two link emails): its first-round link is emailed again.
        await factory.AdvanceAsync(TimeSpan.FromMinutes(6));
        using (var repeat = await client.PostJsonAsync(new { type = "erasure", email, fullName = name, jurisdiction = "UK" }))
        {
            Assert.True(repeat.IsSuccessStatusCode);
        }

        await factory.DrainAsync();
        var links = factory.Outbox.Where(m => m.To == email).Select(m => m.PathOfLink("/verify/")).Distinct(StringComparer.Ordinal).ToList();
        Assert.Equal(2, links.Count);
        var firstRound = links[1];
        var form = await client.GetStringAsync(firstRound);

        await WorkflowEndToEndTests.FollowAsync(client, links[0], "Yes, this is my request", ("dataPoints.postcode", "SW1A 1AA"));
        await factory.DrainAsync();
        Assert.Equal(RequestStatus.AwaitingVerification, (await factory.Stored.SingleRequestAsync()).Status);

        using (var stale = await client.PostAsync(firstRound, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["dataPoints.accountNumber"] = account, ["__csrf"] = Forms.CsrfToken(form),
        })))
        {
            Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
            Assert.Contains("newest email", WebUtility.HtmlDecode(await stale.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        }

        await factory.DrainAsync();
        Assert.Equal(RequestStatus.AwaitingVerification, (await factory.Stored.SingleRequestAsync()).Status);
        Assert.Equal(["asked-again"], (await factory.Stored.AuditAsync("verification.checked")).Select(e => e.Detail("outcome")));
    }

    [Fact]
    public async Task VerifyPage_TooFewDetailsOrUnsigned_Returns400NamingTheFieldsAndChangesNothing()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var (name, email, _) = DemoCrmConnector.Person(Person + 4);
        await SubmitAsync(factory, client, "access", name, email, "US-CA");
        var path = factory.Outbox.Single().PathOfLink("/verify/");
        var form = await client.GetStringAsync(path);

        using var response = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["dataPoints.phone"] = Phone(Person + 4), ["__csrf"] = Forms.CsrfToken(form),
        }));
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("id=\"dataPoints-error\"", html, StringComparison.Ordinal);
        Assert.Contains("Give at least 3 of the details below.", html, StringComparison.Ordinal);
        Assert.Contains("id=\"declaration-error\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"signedAs-error\"", html, StringComparison.Ordinal);
        Assert.Equal(RequestStatus.AwaitingVerification, (await factory.Stored.SingleRequestAsync()).Status);
    }

    [Theory]
    [InlineData("\u200B")]
    [InlineData("\u200B\u2060 ")]
    public async Task VerifyPage_SignedWithOnlyInvisibleCharacters_IsUnsigned(string signedAs)
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var (name, email, account) = DemoCrmConnector.Person(Person + 11);
        await SubmitAsync(factory, client, "access", name, email, "US-CA");
        var path = factory.Outbox.Single().PathOfLink("/verify/");
        var form = await client.GetStringAsync(path);

        using var response = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["dataPoints.phone"] = Phone(Person + 11), ["dataPoints.accountNumber"] = account, ["dataPoints.lastInvoiceAmount"] = "12.00",
            ["declaration"] = "yes", ["signedAs"] = signedAs, ["__csrf"] = Forms.CsrfToken(form),
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("id=\"signedAs-error\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(RequestStatus.AwaitingVerification, (await factory.Stored.SingleRequestAsync()).Status);
    }

    [Fact]
    public async Task VerifyPage_AttemptsPerAddressUsedUp_IsRefusedAndChangesNothing()
    {
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?> { ["DataRights:Verification:AttemptsPerAddress"] = "1" });
        using var client = factory.CreateClient();
        var (name, email, account) = DemoCrmConnector.Person(Person + 5);
        await SubmitAsync(factory, client, "erasure", name, email, "US-CA");
        await VerifyAsync(factory, client, ("dataPoints.phone", "+1 555 0100"), ("dataPoints.accountNumber", "ACC-0000"));
        var seen = factory.Outbox.Select(m => m.FileName).ToHashSet(StringComparer.Ordinal);
        await SubmitAsync(factory, client, "erasure", name, email, "US-CA", details: "A second request.");
        var second = factory.Outbox.Single(m => !seen.Contains(m.FileName) && m.Subject.StartsWith("Please confirm", StringComparison.Ordinal));
        var form = await client.GetStringAsync(second.PathOfLink("/verify/"));

        using var response = await client.PostAsync(second.PathOfLink("/verify/"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["dataPoints.phone"] = Phone(Person + 5), ["dataPoints.accountNumber"] = account, ["__csrf"] = Forms.CsrfToken(form),
        }));

        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.True(response.StatusCode == HttpStatusCode.TooManyRequests, html);
        Assert.Contains("too many times", html, StringComparison.Ordinal);
        Assert.Contains("Please try again in about 24 hours", html, StringComparison.Ordinal);
        Assert.Contains(await factory.Stored.RequestsAsync(), r => r.Status == RequestStatus.AwaitingVerification);
    }

    [Fact]
    public async Task ConfirmingDetailsGivenWithTheRequest_CountsAsAnAttempt()
    {
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?> { ["DataRights:Verification:AttemptsPerAddress"] = "1" });
        using var client = factory.CreateClient();
        var (name, email, _) = DemoCrmConnector.Person(Person + 8);
        var wrong = new Dictionary<string, string> { ["phone"] = "+1 555 0100", ["accountNumber"] = "ACC-0000" };
        using (var first = await client.PostJsonAsync(new { type = "erasure", email, fullName = name, jurisdiction = "US-CA", dataPoints = wrong }))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        await factory.DrainAsync();
        await VerifyAsync(factory, client);
        var seen = factory.Outbox.Select(m => m.FileName).ToHashSet(StringComparer.Ordinal);
        using (var second = await client.PostJsonAsync(new { type = "erasure", email, fullName = name, jurisdiction = "US-CA", details = "Again.", dataPoints = wrong }))
        {
            Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        }

        await factory.DrainAsync();
        var again = factory.Outbox.Single(m => !seen.Contains(m.FileName) && m.Subject.StartsWith("Please confirm", StringComparison.Ordinal));
        var form = await client.GetStringAsync(again.PathOfLink("/verify/"));

        using var response = await client.PostAsync(again.PathOfLink("/verify/"), new FormUrlEncodedContent(new Dictionary<string, string> { ["__csrf"] = Forms.CsrfToken(form) }));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Contains(await factory.Stored.RequestsAsync(), r => r.Status == RequestStatus.AwaitingVerification);
    }

    [Fact]
    public async Task StaffVerifyByHand_NeedsAReasonWhereTheLevelAsksMoreAndRecordsIt()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var (name, email, _) = DemoCrmConnector.Person(Person + 6);
        var id = await SubmitAsync(factory, client, "erasure", name, email, "US-CA");

        using (var bare = await WorkflowEndToEndTests.StaffPostAsync(client, $"/api/admin/requests/{id}/verify", new { }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bare.StatusCode);
            Assert.True((await bare.JsonAsync()).GetProperty("errors").TryGetProperty("note", out _));
        }

        using (var verified = await WorkflowEndToEndTests.StaffPostAsync(client, $"/api/admin/requests/{id}/verify", new { note = "Seen in person with a passport at the Leeds shop." }))
        {
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        }

        await factory.DrainAsync();
        Assert.Equal(RequestStatus.AwaitingApproval, (await factory.Stored.SingleRequestAsync()).Status);
        var byStaff = Assert.Single(await factory.Stored.AuditAsync("verification.by_staff"));
        Assert.Equal("Seen in person with a passport at the Leeds shop.", byStaff.Detail("reason"));
        Assert.StartsWith("staff:", byStaff.Actor, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonIntake_DataPoints_AreCheckedNamingTheFieldAndThePageDoesNotAskAgain()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var (name, email, account) = DemoCrmConnector.Person(Person + 7);

        await AssertRefusedAsync(client, new { type = "erasure", email, fullName = name, jurisdiction = "US-CA", dataPoints = new Dictionary<string, string> { ["shoeSize"] = "42" } }, "dataPoints");
        await AssertRefusedAsync(client, new { type = "erasure", email, fullName = name, jurisdiction = "US-CA", dataPoints = new Dictionary<string, string> { ["postcode"] = "--" } }, "dataPoints.postcode");
        await AssertRefusedAsync(client, new { type = "erasure", email, fullName = name, jurisdiction = "US-CA", dataPoints = new[] { "postcode" } }, "dataPoints");
        await AssertRefusedAsync(client, new { type = "erasure", email, fullName = name, jurisdiction = "UK", dataPoints = new Dictionary<string, string> { ["phone"] = Phone(Person + 7) } }, "dataPoints");
        Assert.Equal(0, await factory.Stored.RequestCountAsync());

        using (var accepted = await client.PostJsonAsync(new
        {
            type = "erasure", email, fullName = name, jurisdiction = "US-CA",
            dataPoints = new Dictionary<string, string> { ["phone"] = Phone(Person + 7), ["accountNumber"] = account },
        }))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        await factory.DrainAsync();
        Assert.DoesNotContain("we will also ask you for", factory.Outbox.Single().Text, StringComparison.Ordinal);
        var page = WebUtility.HtmlDecode(await client.GetStringAsync(factory.Outbox.Single().PathOfLink("/verify/")));
        Assert.DoesNotContain("dataPoints.", page, StringComparison.Ordinal);
        await VerifyAsync(factory, client);

        Assert.Equal(RequestStatus.AwaitingApproval, (await factory.Stored.SingleRequestAsync()).Status);
        Assert.Equal("passed", Assert.Single(await factory.Stored.AuditAsync("verification.checked")).Detail("outcome"));
        await AssertNoValueKeptAsync(factory, string.Empty, Phone(Person + 7), GivenDataPoint.Comparable(Phone(Person + 7)), GivenDataPoint.Comparable(GivenDataPoint.PhoneField, Phone(Person + 7)), account, GivenDataPoint.Comparable(account));
    }

    private static async Task AssertRefusedAsync(HttpClient client, object body, string field)
    {
        using var response = await client.PostJsonAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
    }

    private static string Phone(int n) => string.Create(CultureInfo.InvariantCulture, $"+44 7700 9{n:D5}");

    private static async Task<string> SubmitAsync(DataRightsFactory factory, HttpClient client, string type, string name, string email, string jurisdiction, string? details = null)
    {
        var before = (await factory.Stored.RequestsAsync()).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        using (var submitted = await client.PostJsonAsync(new { type, email, fullName = name, jurisdiction, details }))
        {
            Assert.True(submitted.IsSuccessStatusCode);
        }

        await factory.DrainAsync();
        return Assert.Single(await factory.Stored.RequestsAsync(), r => !before.Contains(r.Id)).Id;
    }

    private static async Task VerifyAsync(DataRightsFactory factory, HttpClient client, params (string Name, string Value)[] fields)
    {
        // Each test's verifications are of one request, so exactly one confirmation email.
        var verify = factory.Outbox.Single(m => m.Subject.StartsWith("Please confirm", StringComparison.Ordinal));
        await WorkflowEndToEndTests.FollowAsync(client, verify.PathOfLink("/verify/"), "Yes, this is my request", fields);
        await factory.DrainAsync();
    }

    private static async Task AssertNoValueKeptAsync(DataRightsFactory factory, string evidence, params string[] values)
    {
        var audit = JsonSerializer.Serialize(await factory.Stored.AuditAsync());
        var progress = JsonSerializer.Serialize((await factory.Stored.SingleRequestAsync()).Progress);
        var events = Directory.Exists(Path.Combine(factory.DataDirectory, "events"))
            ? string.Concat(Directory.EnumerateFiles(Path.Combine(factory.DataDirectory, "events"), "*", SearchOption.AllDirectories).Select(File.ReadAllText))
            : string.Empty;
        var logs = string.Join("\n", factory.Logs.Lines);
        var staffMail = string.Concat(factory.Outbox.Where(m => m.To != factory.Outbox.First().To).Select(m => m.Text));
        foreach (var value in values)
        {
            Assert.DoesNotContain(value, audit, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(value, evidence, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(value, progress, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(value, events, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(value, logs, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(value, staffMail, StringComparison.OrdinalIgnoreCase);
        }

        Assert.NotEmpty(logs);
    }
}
