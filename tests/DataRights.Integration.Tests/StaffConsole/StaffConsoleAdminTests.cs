using System.Net;
using System.Text.RegularExpressions;
using DataRights.Core.Ports;
using DataRights.Core.Sources.Registry;
using DataRights.Host.StaffConsole.Admin;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Integration.Tests.Retention;
using DataRights.Testing;
using Microsoft.Extensions.DependencyInjection;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.StaffConsole;

/// <summary>The console's administrator pages over HTTP: sources, legal holds, the suppression check, retention and purge reports.</summary>
public sealed partial class StaffConsoleAdminTests
{
    private static readonly string[] Pages = ["/staff/sources", "/staff/holds", "/staff/suppression", "/staff/retention", "/staff/purges", "/staff/purges/run_x", "/staff/purges/run_x.csv"];

    [Fact]
    public async Task AdminPages_Approver_Gets403OnEveryPageAndForm_AndNoLinksToThem()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var client = ConsoleClient.Create(factory);
        await ConsoleClient.SignInAsync(client, role: "approver");

        var inbox = await client.GetStringAsync("/staff");
        var token = Forms.CsrfToken(inbox);
        foreach (var page in Pages)
        {
            using var response = await client.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"GET {page}: {(int)response.StatusCode}");
            Assert.Contains("This page is for privacy administrators", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        foreach (var form in new[] { "/staff/sources/crm/test", "/staff/holds", "/staff/holds/hold_1/lift", "/staff/suppression" })
        {
            using var response = await client.PostAsync(form, new FormUrlEncodedContent([new("__csrf", token), new("scope", "source"), new("sourceKey", "crm"), new("reason", "Approver trying to hold a source")]));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"POST {form}: {(int)response.StatusCode}");
        }

        Assert.DoesNotContain("href=\"/staff/sources\"", inbox, StringComparison.Ordinal);
        Assert.Empty(await HoldsAsync(factory));
    }

    [Fact]
    public async Task Sources_Admin_SeesARegisteredSourceWhenItLastAnsweredAndTestsItsConnection()
    {
        using var factory = new DataRightsFactory();
        using var api = factory.CreateClient();
        await SubmitAndVerifyAsync(factory, api);
        using var client = ConsoleClient.Create(factory);
        await ConsoleClient.SignInAsync(client, "Ada Admin", "admin");

        var page = await client.GetStringAsync("/staff/sources");
        using var tested = await ConsoleClient.PostFormAsync(client, "/staff/sources", "/staff/sources/crm/test");
        var result = await tested.Content.ReadAsStringAsync();
        using var unknown = await ConsoleClient.PostFormAsync(client, "/staff/sources", "/staff/sources/nowhere/test");

        Assert.Contains("<a href=\"/staff/sources\" aria-current=\"page\">Sources</a>", page, StringComparison.Ordinal);
        var crm = Row(page, "Customer records (CRM)");
        Assert.Contains("Demo customer records", crm, StringComparison.Ordinal);
        Assert.Contains("Read and change", crm, StringComparison.Ordinal);
        Assert.Contains("Active", crm, StringComparison.Ordinal);
        Assert.Contains("2 Nov 2026, 09:30 UTC</td>", crm, StringComparison.Ordinal);
        Assert.Contains("<td>None</td>", crm, StringComparison.Ordinal);
        Assert.Contains("action=\"/staff/sources/crm/test\"", crm, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, tested.StatusCode);
        Assert.Contains("Customer records (CRM): connected. The demo CRM answered", result, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Holds_AdminPlacesAHoldOnAPersonAndLiftsIt_TheListNamingNobody()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var client = ConsoleClient.Create(factory);
        await ConsoleClient.SignInAsync(client, "Ada Admin", "admin");

        using var placed = await ConsoleClient.PostFormAsync(client, "/staff/holds", "/staff/holds",
            ("scope", "person"), ("email", "Held.Person@Example.com"), ("reason", "Employment tribunal claim 2026/114"), ("returnUrl", "/staff/holds"));
        var after = await client.GetStringAsync(placed.Headers.Location!.OriginalString);
        var hold = Assert.Single(await HoldsAsync(factory));
        using var lifted = await ConsoleClient.PostFormAsync(client, "/staff/holds", $"/staff/holds/{hold.Id}/lift", ("returnUrl", "/staff/holds"));
        var afterLift = await client.GetStringAsync(lifted.Headers.Location!.OriginalString);
        using var again = await ConsoleClient.PostFormAsync(client, "/staff/holds", $"/staff/holds/{hold.Id}/lift");

        Assert.Equal(HttpStatusCode.Redirect, placed.StatusCode);
        Assert.Equal("/staff/holds?done=hold-placed", placed.Headers.Location!.OriginalString);
        Assert.Contains("You placed the legal hold", after, StringComparison.Ordinal);
        Assert.Contains("One person&#x27;s data, everywhere", Row(after, "Employment tribunal claim 2026/114"), StringComparison.Ordinal);
        Assert.Contains("Ada Admin (staff)", Row(after, "Employment tribunal claim 2026/114"), StringComparison.Ordinal);
        Assert.DoesNotContain("held.person@example.com", after, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(LegalHold.HashSubject("held.person@example.com"), hold.SubjectHash);
        Assert.Equal("staff:Ada Admin", hold.PlacedBy);
        Assert.Equal("/staff/holds?done=hold-lifted", lifted.Headers.Location!.OriginalString);
        Assert.Contains("You lifted the legal hold", afterLift, StringComparison.Ordinal);
        Assert.Contains("No legal hold is in force.", afterLift, StringComparison.Ordinal);
        Assert.False(Assert.Single(await HoldsAsync(factory)).Active);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Holds_FormWithProblems_Is400NamingEachFieldAndSavesNothing()
    {
        using var factory = new DataRightsFactory();
        using var client = ConsoleClient.Create(factory);
        await ConsoleClient.SignInAsync(client, "Ada Admin", "admin");

        using var person = await ConsoleClient.PostFormAsync(client, "/staff/holds", "/staff/holds", ("scope", "person"), ("email", "not-an-address"), ("reason", "short"));
        using var source = await ConsoleClient.PostFormAsync(client, "/staff/holds", "/staff/holds", ("scope", "source"), ("sourceKey", "nowhere"), ("reason", "Regulator inquiry into call handling"));
        using var noScope = await ConsoleClient.PostFormAsync(client, "/staff/holds", "/staff/holds", ("reason", "Regulator inquiry into call handling"));
        var personHtml = await person.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, person.StatusCode);
        Assert.Contains("href=\"#hold-email\">Enter the person&#x27;s email address", personHtml, StringComparison.Ordinal);
        Assert.Contains("href=\"#hold-reason\">Give the reason for the hold", personHtml, StringComparison.Ordinal);
        Assert.Contains("value=\"not-an-address\"", personHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, source.StatusCode);
        Assert.Contains("href=\"#hold-source\">Choose the source to hold from the list.", await source.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noScope.StatusCode);
        Assert.Contains("href=\"#hold-scope-person\">", await noScope.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await HoldsAsync(factory));
    }

    [Fact]
    public async Task HoldForms_ForRequest_PlacesAHoldOnTheRequesterAndComesBackToTheRequest_OnlyEverToAConsolePage()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var api = factory.CreateClient();
        var id = await SubmitAsync(api, factory.Services, "requester@example.com");
        var request = await factory.Stored.SingleRequestAsync();
        using var client = ConsoleClient.Create(factory);
        await ConsoleClient.SignInAsync(client, "Ada Admin", "admin");

        var before = HoldForms.ForRequest(request, [], "token").Value;
        var fields = HiddenFields().Matches(before).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        using var placed = await ConsoleClient.PostFormAsync(client, "/staff/holds", "/staff/holds",
            ("scope", fields["scope"]), ("email", fields["email"]), ("returnUrl", fields["returnUrl"]), ("reason", "Litigation over the contract"));
        var holds = HoldForms.ForPerson(await HoldsAsync(factory), "REQUESTER@example.com");
        var withHold = HoldForms.ForRequest(request, holds, "token").Value;
        using var elsewhere = await ConsoleClient.PostFormAsync(client, "/staff/holds", $"/staff/holds/{holds[0].Id}/lift", ("returnUrl", "https://evil.example/staff"));

        Assert.Contains("No legal hold covers this requester's data.", before, StringComparison.Ordinal);
        Assert.Equal($"/staff/requests/{id}?done=hold-placed", placed.Headers.Location!.OriginalString);
        Assert.Single(holds);
        Assert.Contains("Litigation over the contract", withHold, StringComparison.Ordinal);
        Assert.Contains($"action=\"/staff/holds/{holds[0].Id}/lift\"", withHold, StringComparison.Ordinal);
        Assert.Equal("/staff/holds?done=hold-lifted", elsewhere.Headers.Location!.OriginalString);
        Assert.Empty(HoldForms.ForPerson(await HoldsAsync(factory), "requester@example.com"));
    }

    [Fact]
    public async Task Suppression_Check_AnswersYesOrNoWithoutListingTheList()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var client = ConsoleClient.Create(factory);
        await ConsoleClient.SignInAsync(client, "Ada Admin", "admin");
        await factory.Services.GetRequiredService<ISuppressionList>().AddAsync(ISuppressionList.Hash("objector@example.com"), "dr_1", factory.Clock.GetUtcNow(), CancellationToken.None);

        var page = await client.GetStringAsync("/staff/suppression");
        using var yes = await ConsoleClient.PostFormAsync(client, "/staff/suppression", "/staff/suppression", ("email", " Objector@Example.com "));
        using var no = await ConsoleClient.PostFormAsync(client, "/staff/suppression", "/staff/suppression", ("email", "someone.else@example.com"));
        using var bad = await ConsoleClient.PostFormAsync(client, "/staff/suppression", "/staff/suppression", ("email", "nobody"));

        Assert.DoesNotContain(ISuppressionList.Hash("objector@example.com"), page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, yes.StatusCode);
        Assert.Contains("Yes: on the suppression list", await yes.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, no.StatusCode);
        Assert.Contains("No: not on the suppression list", await no.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("href=\"#suppression-email\">Enter an email address", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retention_ShowsEachRegionsTimerAndRulesInWords()
    {
        using var factory = new DataRightsFactory();
        using var client = ConsoleClient.Create(factory);
        await ConsoleClient.SignInAsync(client, "Ada Admin", "admin");

        var page = await client.GetStringAsync("/staff/retention");

        Assert.Contains("<h2>EU West</h2>", page, StringComparison.Ordinal);
        Assert.Contains("Purge: Every night at 02:30, London time.", page, StringComparison.Ordinal);
        Assert.Contains("Purge: Every night at 03:30, New York time.", page, StringComparison.Ordinal);
        var invoices = Row(page, "<th scope=\"row\">Invoices</th>");
        Assert.Contains("<td>Billing</td>", invoices, StringComparison.Ordinal);
        Assert.Contains("<td>7 years from when the record was made</td>", invoices, StringComparison.Ordinal);
        Assert.Contains("as tax law requires", invoices, StringComparison.Ordinal);
        Assert.Contains("Until the end of the calendar month in which the account is closed", page, StringComparison.Ordinal);
        Assert.DoesNotContain("billing.invoice", page, StringComparison.Ordinal);
        Assert.DoesNotContain("P7Y", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Purges_AfterARun_ListItAndShowItsReportAndItsCsv()
    {
        using var factory = new DataRightsFactory();
        using var api = factory.CreateClient();
        var report = await PurgeKit.RunNowAsync(api, "eu-west", dryRun: true);
        var runId = report.GetProperty("id").GetString()!;
        using var client = ConsoleClient.Create(factory);
        await ConsoleClient.SignInAsync(client, "Ada Admin", "admin");

        var list = await client.GetStringAsync("/staff/purges");
        var page = await client.GetStringAsync($"/staff/purges/{runId}");
        using var csv = await client.GetAsync($"/staff/purges/{runId}.csv");
        var csvText = await csv.Content.ReadAsStringAsync();
        using var missing = await client.GetAsync("/staff/purges/run_nothing");

        Assert.Contains($"href=\"/staff/purges/{runId}\"", list, StringComparison.Ordinal);
        Assert.Contains("Dry run: nothing deleted", list, StringComparison.Ordinal);
        Assert.Contains(report.GetProperty("summary").GetString()!.Replace("'", "&#x27;", StringComparison.Ordinal), page, StringComparison.Ordinal);
        Assert.Contains("Would purge</th>", page, StringComparison.Ordinal);
        var invoices = Row(page, "<td>Invoices");
        Assert.Contains("<th scope=\"row\">Billing</th>", invoices, StringComparison.Ordinal);
        Assert.Contains($"href=\"/staff/purges/{runId}.csv\"", page, StringComparison.Ordinal);
        Assert.Contains("The retention audit trail is intact", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("run,region,dry_run,source,category,kind,state,request,cutoff,scanned,would_purge,", csvText, StringComparison.Ordinal);
        Assert.Contains($"{runId},eu-west,true,billing,billing.invoice,", csvText, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static async Task<IReadOnlyList<LegalHold>> HoldsAsync(DataRightsFactory factory) =>
        await factory.Services.GetRequiredService<ILegalHoldStore>().ListAsync(CancellationToken.None);

    /// <summary>The table row holding <paramref name="text"/>.</summary>
    private static string Row(string html, string text)
    {
        var at = html.IndexOf(text, StringComparison.Ordinal);
        Assert.True(at >= 0, $"No row holds {text}");
        var start = html.LastIndexOf("<tr>", at, StringComparison.Ordinal);
        return html[start..(html.IndexOf("</tr>", at, StringComparison.Ordinal) + 5)];
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(scope|email|returnUrl)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenFields();
}
