using System.Globalization;
using System.Net;
using DataRights.Core.Ports;
using DataRights.Host.StaffConsole.Evidence;
using DataRights.Host.Pages;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using PdfSharp.Pdf.IO;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.Staff;

/// <summary>The evidence pack of a request run through the real host on Azurite with the demo sources.</summary>
public sealed class EvidencePackTests
{
    [Fact]
    public async Task Pack_OfACompletedErasureWithKeptInvoices_HasEveryEntryAValidChainTheBasisAndNoOtherPersonalData()
    {
        var (name, email, account) = DemoCrmConnector.Person(2);
        const string Details = "Please also delete my old address, 12 Acacia Avenue, Leeds LS1 4AB.";
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        using (var submitted = await client.PostJsonAsync(new { type = "erasure", email, fullName = name, jurisdiction = "UK", accountReference = account, details = Details }))
        {
            Assert.True(submitted.IsSuccessStatusCode);
        }

        await factory.DrainAsync();
        await FollowAsync(client, factory.Outbox.Single().PathOfLink("/verify/"), "Yes, this is my request");
        await factory.DrainAsync();
        await FollowAsync(client, factory.Outbox.Single(m => m.To == "approver@example.com").PathOfLink("/approve/"), "Approve and carry out", ("decision", "approve"));
        await factory.DrainAsync();
        var request = await factory.Stored.SingleRequestAsync();
        Assert.Equal(DataRights.Core.Requests.RequestStatus.Completed, request.Status);
        var trail = await factory.Services.GetRequiredService<IRequestStore>().GetAuditTrailAsync(request.Id, CancellationToken.None);

        var pack = await Builder(factory).BuildAsync(request.Id, CancellationToken.None);

        Assert.NotNull(pack);
        Assert.Equal(trail.Select(e => e.Sequence), pack.Timeline.Select(e => e.Sequence));
        Assert.Equal(trail.Select(e => e.At), pack.Timeline.Select(e => e.At));
        Assert.True(pack.Chain.Holds);
        Assert.Null(pack.Chain.BrokenAt);
        Assert.Equal(trail.Count, pack.Chain.EntryCount);
        Assert.Equal(trail[^1].Hash, pack.Chain.HeadHash);
        Assert.Contains(pack.Clock, f => f.Label == "On time" && f.Value.StartsWith("Yes", StringComparison.Ordinal));

        var billingDb = Path.Combine(factory.DataDirectory, "sources", "billing.db");
        var lastInvoice = DateOnly.Parse(Database.Text(billingDb, "SELECT MAX(issued_on) FROM invoices WHERE customer_email = $e", ("$e", email))!, CultureInfo.InvariantCulture);
        var billing = Assert.Single(pack.Sources, s => s.Name == "Billing");
        var kept = Assert.Single(billing.Kept);
        Assert.Equal("3 records (Invoices)", kept.Records);
        Assert.Equal("UK tax law requires invoices to be kept (we keep them 7 years) (UK GDPR Art. 17(3)(b))", kept.Basis);
        Assert.Equal(RequestTexts.LongDate(lastInvoice.AddYears(7)), kept.Until);
        Assert.Contains(billing.RecipientsTold, r => r.StartsWith("Our payment processor, for card payments: told of the change by email", StringComparison.Ordinal));

        var html = EvidencePackHtml.Render(pack);
        var text = WebUtility.HtmlDecode(html);
        Assert.Contains("Kept back in Billing, and why", text, StringComparison.Ordinal);
        Assert.Contains(RequestTexts.LongDate(lastInvoice.AddYears(7)), text, StringComparison.Ordinal);
        Assert.Contains("Right to erasure (UK GDPR Art. 17)", text, StringComparison.Ordinal);
        Assert.Contains("<h2 id=\"recipients\">Recipients told of the change (UK GDPR Art. 19)</h2>", text, StringComparison.Ordinal);
        Assert.Contains(name, text, StringComparison.Ordinal);
        Assert.Contains(email, text, StringComparison.Ordinal);
        Assert.Equal(trail.Count, CountOf(html, "<tr><th scope=\"row\">") - billing.Kept.Count);

        // Display names wherever one exists: no category key, no source key standing for a system, no audit action name.
        var registrations = DemoSources.Registrations;
        Assert.All(registrations.SelectMany(r => r.Categories).Select(c => c.Key).Where(k => k.Contains('.', StringComparison.Ordinal)),
            key => Assert.DoesNotContain(key, text, StringComparison.Ordinal));
        Assert.All(trail.Select(e => e.Action).Distinct(), action => Assert.DoesNotContain(action, text, StringComparison.Ordinal));
        Assert.All(pack.Timeline, e => Assert.All(registrations, r => Assert.False(e.What.StartsWith(r.Key + ":", StringComparison.Ordinal), e.What)));
        Assert.All(pack.Timeline, e => Assert.DoesNotContain(":", e.Who, StringComparison.Ordinal));
        Assert.Equal(request.Progress.Sources.Select(s => registrations.Single(r => r.Key == s.Key).DisplayName), pack.Sources.Select(s => s.Name));

        // The requester's other details stay out: the account number, the free text they wrote, the phone the CRM held.
        var phone = string.Create(CultureInfo.InvariantCulture, $"+44 7700 9{2:D5}");
        foreach (var other in new[] { account, "Acacia Avenue", "LS1 4AB", phone, phone.Replace(" ", string.Empty, StringComparison.Ordinal) })
        {
            Assert.DoesNotContain(other, text, StringComparison.OrdinalIgnoreCase);
        }

        var pdf = EvidencePackPdf.Render(pack);
        Assert.Equal("%PDF-"u8.ToArray(), pdf[..5]);
        Assert.True(pdf.Length > 10_000, $"The PDF is {pdf.Length} bytes.");
        using var read = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import);
        Assert.True(read.PageCount > 1, $"The PDF has {read.PageCount} pages.");
        Assert.Equal($"Evidence pack for request {request.Reference}", read.Info.Title);
    }

    [Fact]
    public async Task Pack_WithOneAuditEntryChangedInTheTable_SaysTheChainIsBrokenAtThatEntry()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        using (var submitted = await client.PostJsonAsync(Submissions.Valid()))
        {
            Assert.True(submitted.IsSuccessStatusCode);
        }

        await factory.DrainAsync();
        var request = await factory.Stored.SingleRequestAsync();
        Assert.True(await factory.Stored.TamperAuditAsync(request.Id, row =>
        {
            if (row.GetInt64("Sequence") == 2)
            {
                row["Actor"] = "staff:someone-else";
            }
        }) > 1);

        var pack = await Builder(factory).BuildAsync(request.Id, CancellationToken.None);

        Assert.NotNull(pack);
        Assert.False(pack.Chain.Holds);
        Assert.Equal(2, pack.Chain.BrokenAt);
        Assert.StartsWith("The chain is broken at entry 2: The entry was changed after it was written.", pack.Chain.Summary, StringComparison.Ordinal);
        Assert.Equal("someone-else (staff)", pack.Timeline.Single(e => e.Sequence == 2).Who);
        var html = WebUtility.HtmlDecode(EvidencePackHtml.Render(pack));
        Assert.Contains("<strong>Broken.</strong> The chain is broken at entry 2", html, StringComparison.Ordinal);
        Assert.DoesNotContain("The chain holds", html, StringComparison.Ordinal);
        Assert.True(EvidencePackPdf.Render(pack).Length > 0);
    }

    [Fact]
    public async Task Html_OfARequesterNamedWithMarkup_EncodesItAndLinksTheSiteStylesheetWithItsPrintRules()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        const string Name = "<script>alert('x')</script> O'Brien & Co";
        using (var submitted = await client.PostJsonAsync(new { type = "access", email = "markup@example.com", fullName = Name, jurisdiction = "UK" }))
        {
            Assert.True(submitted.IsSuccessStatusCode);
        }

        await factory.DrainAsync();
        var request = await factory.Stored.SingleRequestAsync();
        Assert.Equal(Name, request.FullName);

        var pack = await Builder(factory).BuildAsync(request.Id, CancellationToken.None);
        var html = EvidencePackHtml.Render(pack!);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains(Name, WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en-GB\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" style=", html, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"stylesheet\" href=\"/assets/site.css\">", html, StringComparison.Ordinal);
        Assert.Equal(["h1", "h2", "h2", "h2", "h2", "h2", "h2"], System.Text.RegularExpressions.Regex.Matches(html, "<(h[1-6])[ >]").Select(m => m.Groups[1].Value));
        var css = await client.GetStringAsync("/assets/site.css");
        Assert.Contains("@media print", css, StringComparison.Ordinal);
        Assert.Contains(".evidence-table", css, StringComparison.Ordinal);
    }

    private static EvidencePackBuilder Builder(DataRightsFactory factory) =>
        ActivatorUtilities.CreateInstance<EvidencePackBuilder>(factory.Services);

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
