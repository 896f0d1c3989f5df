using System.IO.Compression;
using System.Net;
using System.Text.Json;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using DataRights.Host.Exports;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Integration.Tests.Workflow;
using DataRights.Storage.AzureTables.Blobs;
using Microsoft.Extensions.DependencyInjection;

namespace DataRights.Integration.Tests.Exports;

/// <summary>
/// An access request for a seeded person, end to end: the copy is approved, built from every demo
/// source, offered by a single-use link, audited when downloaded, and deleted when the link expires.
/// </summary>
public sealed class AccessExportTests
{
    private const int Person = 21;

    [Fact]
    public async Task AccessRequest_SeededPerson_DownloadsAZipWhoseContentsMatchTheDemoDatabases()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var (name, email, account) = DemoCrmConnector.Person(Person);

        var ready = await RequestAndApproveAsync(factory, client, "access", name, email);
        Assert.Contains("copied", ready.Text, StringComparison.Ordinal);
        var page = await client.GetStringAsync(ready.PathOfLink("/download/"));
        Assert.Contains("Download my data", page, StringComparison.Ordinal);
        var zipBytes = await DownloadAsync(client, ready.PathOfLink("/download/"), page);

        using var zip = new ZipArchive(new MemoryStream(zipBytes), ZipArchiveMode.Read);
        var names = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("index.html", names);
        // Each source's folder and each CSV file are named after what the person knows them as, never a key.
        foreach (var source in new[] { "Customer records CRM", "Billing", "Call and SMS records", "Call recordings metadata", "Support tickets", "Newsletter subscribers" })
        {
            Assert.Contains($"{source}/records.json", names);
        }

        Assert.Contains("Billing/Payment cards.csv", names);
        Assert.Contains("Customer records CRM/Email address.csv", names);
        Assert.All(names, n => Assert.Matches(@"^(index\.html|portable/[\p{L}\p{N} -]+\.json|[\p{L}\p{N} -]+/(records\.json|[\p{L}\p{N} -]+\.csv))$", n));
        foreach (var key in new[] { "billing.invoice", "telephony.cdr", "contact.email", "payment_card", "crm/", "telephony/", "newsletter" })
        {
            Assert.DoesNotContain(names, n => n.Contains(key, StringComparison.Ordinal));
        }

        var billing = Json(zip, "Billing/records.json");
        var invoices = Table(billing, "billing.invoice");
        var dbInvoices = Database.Scalar(Path.Combine(factory.DataDirectory, "sources", "billing.db"), "SELECT COUNT(*) FROM invoices WHERE customer_email = $e", ("$e", email));
        Assert.Equal(dbInvoices, invoices.GetArrayLength());
        Assert.Equal(
            Database.Scalar(Path.Combine(factory.DataDirectory, "sources", "billing.db"), "SELECT SUM(amount_pence) FROM invoices WHERE customer_email = $e", ("$e", email)),
            invoices.EnumerateArray().Sum(i => i.GetProperty("amount_pence").GetInt64()));
        Assert.Equal(account, Table(billing, "contact.email")[0].GetProperty("account_id").GetString());
        var crm = Json(zip, "Customer records CRM/records.json");
        Assert.Equal(name, Table(crm, "contact.email")[0].GetProperty("full_name").GetString());

        // The file reads as the person's data reads: a phone number's "+" (and any accented letter) as itself, not as an escape.
        var crmText = Read(zip, "Customer records CRM/records.json");
        Assert.Contains("\"phone\": \"+44 7700 ", crmText, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u00", crmText, StringComparison.Ordinal);
        var calls = Table(Json(zip, "Call and SMS records/records.json"), "telephony.cdr");
        Assert.Equal(Database.Scalar(Path.Combine(factory.DataDirectory, "sources", "telephony.db"), "SELECT COUNT(*) FROM cdrs WHERE caller_email = $e", ("$e", email)), calls.GetArrayLength());

        var csv = Read(zip, "Billing/Invoices.csv").Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("invoice_number,issued_on,amount_pence", csv[0]);
        using (var raw = zip.GetEntry("Billing/Invoices.csv")!.Open())
        {
            var bom = new byte[3];
            raw.ReadExactly(bom);
            Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bom); // so spreadsheets read it as UTF-8
        }

        Assert.Equal(dbInvoices + 1, csv.Length);
        Assert.Contains("+44 20 7946 0018", Read(zip, "Call and SMS records/Call records.csv"), StringComparison.Ordinal);

        var portable = Json(zip, "portable/Newsletter subscribers.json");
        Assert.Equal(email, Table(portable, "marketing.subscription")[0].GetProperty("email").GetString());
        Assert.DoesNotContain("portable/Call and SMS records.json", names);

        var index = Read(zip, "index.html");
        foreach (var heading in new[] { "Why we use it", "Who we share it with", "Where it came from", "Automated decisions", "How long we keep it", "Your rights", "Information Commissioner" })
        {
            Assert.Contains(heading, index, StringComparison.Ordinal);
        }

        Assert.Contains("kept for 7 years because UK tax law requires invoices to be kept (we keep them 7 years) (UK GDPR Art. 17(3)(b))", index, StringComparison.Ordinal);

        // Categories by their display names, counts singular or plural; the keys stay in records.json for machines.
        // Each links to its file.
        Assert.Contains($"<li><a href=\"Billing/Invoices.csv\">Invoices</a>: {dbInvoices} records</li>", index, StringComparison.Ordinal);
        Assert.Contains("<li><a href=\"Billing/Payment%20cards.csv\">Payment cards</a>: 1 record</li>", index, StringComparison.Ordinal);
        Assert.Contains("provided by you (also in <a href=\"portable/Newsletter%20subscribers.json\">portable/Newsletter subscribers.json</a>)", index, StringComparison.Ordinal);
        Assert.Contains("All of it in one file: <a href=\"Call%20and%20SMS%20records/records.json\">Call and SMS records/records.json</a>", index, StringComparison.Ordinal);
        Assert.All(names.Where(n => n != "index.html"), n => Assert.Contains($"href=\"{string.Join('/', n.Split('/').Select(Uri.EscapeDataString))}\"", index, StringComparison.Ordinal));
        Assert.Contains("<li>Invoices: kept for 7 years", index, StringComparison.Ordinal);
        foreach (var key in new[] { "billing.invoice", "billing.payment_card", "contact.email", "telephony.cdr", "record(s)" })
        {
            Assert.DoesNotContain(key, index, StringComparison.Ordinal);
        }

        Assert.Equal("Invoices", billing.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("category").GetString() == "billing.invoice").GetProperty("categoryName").GetString());
        Assert.Single(await factory.Stored.AuditAsync("export.downloaded"));
        Assert.Equal("completed", (await factory.Stored.SingleRequestAsync()).Status.Name());

        // The file is sealed at rest: the ZIP's bytes are not in the export container in the clear.
        var sealedBlob = Assert.Single(await factory.ExportBlobsAsync()).Value;
        Assert.DoesNotContain(email, System.Text.Encoding.UTF8.GetString(sealedBlob), StringComparison.Ordinal);
        Assert.False(sealedBlob.AsSpan().StartsWith("PK"u8));
    }

    [Fact]
    public async Task DownloadLink_UsedTamperedOrExpired_IsRefusedAndTheFileGoesWithTheLink()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var (name, email, _) = DemoCrmConnector.Person(Person + 1);
        var ready = await RequestAndApproveAsync(factory, client, "access", name, email);
        var path = ready.PathOfLink("/download/");

        using (var tampered = await client.GetAsync(path[..^3] + (path[^3] == 'A' ? "B" : "A") + path[^2..]))
        {
            Assert.Equal(HttpStatusCode.BadRequest, tampered.StatusCode);
        }

        var page = await client.GetStringAsync(path);
        Assert.NotEmpty(await DownloadAsync(client, path, page));
        using (var reused = await client.PostAsync(path, Form(page)))
        {
            Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        }

        Assert.Single(await factory.Stored.AuditAsync("export.downloaded"));
        using (var again = await client.GetAsync(path))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Contains("already been used", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }


        await factory.AdvanceAsync(TimeSpan.FromDays(7.1));
        using (var expired = await client.GetAsync(path))
        {
            Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        }

        Assert.Empty(await factory.ExportBlobsAsync());
        Assert.Single(await factory.Stored.AuditAsync("export.deleted"));
    }

    [Fact]
    public async Task DownloadLink_FileThatCannotBeOpened_LeavesTheLinkWorking()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var (name, email, _) = DemoCrmConnector.Person(Person + 5);
        var ready = await RequestAndApproveAsync(factory, client, "access", name, email);
        var path = ready.PathOfLink("/download/");
        var container = factory.Services.GetRequiredService<global::Azure.Storage.Blobs.BlobServiceClient>()
            .GetBlobContainerClient(factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DataRights.Host.Storage.StorageOptions>>().Value.ExportContainer);
        var (blob, sealedBytes) = Assert.Single(await factory.ExportBlobsAsync());

        // Sealed under another key (or damaged): its first chunk (after the 16-byte header and its 4-byte length) does not authenticate.
        var damaged = (byte[])sealedBytes.Clone();
        damaged[40] ^= 0xFF;
        await container.GetBlobClient(blob).UploadAsync(BinaryData.FromBytes(damaged), overwrite: true);
        var page = await client.GetStringAsync(path);
        using (var refused = await client.PostAsync(path, Form(page)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Contains("your link still works", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Empty(await factory.Stored.AuditAsync("export.downloaded"));
        await container.GetBlobClient(blob).UploadAsync(BinaryData.FromBytes(sealedBytes), overwrite: true);
        page = await client.GetStringAsync(path);
        Assert.NotEmpty(await DownloadAsync(client, path, page));
    }

    [Fact]
    public async Task DownloadLink_GetOnly_ChangesNothing()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var (name, email, _) = DemoCrmConnector.Person(Person + 2);
        var ready = await RequestAndApproveAsync(factory, client, "access", name, email);
        var audit = await factory.Stored.AuditRowCountAsync();
        Assert.NotEqual(0, audit);

        await client.GetStringAsync(ready.PathOfLink("/download/"));
        await client.GetStringAsync(ready.PathOfLink("/download/"));

        Assert.Equal(audit, await factory.Stored.AuditRowCountAsync());
        var page = await client.GetStringAsync(ready.PathOfLink("/download/"));
        Assert.NotEmpty(await DownloadAsync(client, ready.PathOfLink("/download/"), page));
    }

    [Fact]
    public async Task PortabilityRequest_GivesOnlyTheDataThePersonProvided()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var (name, email, _) = DemoCrmConnector.Person(Person + 3);
        var ready = await RequestAndApproveAsync(factory, client, "portability", name, email);
        var page = await client.GetStringAsync(ready.PathOfLink("/download/"));

        using var zip = new ZipArchive(new MemoryStream(await DownloadAsync(client, ready.PathOfLink("/download/"), page)), ZipArchiveMode.Read);

        Assert.All(zip.Entries.Where(e => e.FullName != "index.html"), e => Assert.StartsWith("portable/", e.FullName, StringComparison.Ordinal));
        var billing = Json(zip, "portable/Billing.json");
        Assert.Equal(["contact.email"], billing.GetProperty("tables").EnumerateArray().Select(t => t.GetProperty("category").GetString()));
        Assert.Equal(0, Json(zip, "portable/Call and SMS records.json").GetProperty("tables").GetArrayLength());
        Assert.Contains("In this download: <a href=\"portable/Billing.json\">portable/Billing.json</a>", Read(zip, "index.html"), StringComparison.Ordinal);

        // Several purposes are a list, each as the operator wrote it; one is plain text.
        var index = Read(zip, "index.html");
        Assert.Contains("<dt>Why we use it</dt><dd><ul><li>To bill you for your services</li><li>To keep the accounting records tax law requires</li></ul></dd>", index, StringComparison.Ordinal);
        Assert.Contains("<dt>Why we use it</dt><dd>To manage your account and contact you about your services</dd>", index, StringComparison.Ordinal);

        // The email counts what is in the copy, source by source, not everything each source found.
        var rows = zip.Entries.Where(e => e.FullName.StartsWith("portable/", StringComparison.Ordinal))
            .Sum(e => Json(zip, e.FullName).GetProperty("tables").EnumerateArray().Sum(t => t.GetProperty("rows").GetArrayLength()));
        var text = ready.Text.ReplaceLineEndings("\n");
        Assert.Contains($"A copy of the data you gave us is ready: ", text, StringComparison.Ordinal);
        Assert.Contains($", with {rows} records from these systems:", text, StringComparison.Ordinal);
        Assert.Contains("\n- Billing: copied 1 record you gave us.\n", text, StringComparison.Ordinal);
        Assert.Contains("\n- Call and SMS records: nothing held here is data you gave us, so none of it is in your copy.\n", text, StringComparison.Ordinal);

        // The console says the same beside what each system copied.
        using var staff = StaffConsole.ConsoleClient.Create(factory);
        await StaffConsole.ConsoleClient.SignInAsync(staff);
        var console = await staff.GetStringAsync("/staff/requests/" + (await factory.Stored.SingleRequestAsync()).Id);
        Assert.Contains("5 records copied for the export<br>1 record of them in the download (what they gave us)", console, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("US-CA", "(Cal. Civ. Code §1798.105(d))", "the California Privacy Protection Agency")]
    [InlineData("EU", "(EU GDPR Art. 17(3)(b))", "the data protection authority of the country where you live or work")]
    public async Task AccessRequest_OutsideTheUk_IndexCitesTheRequestersOwnLawAndAuthority(string jurisdiction, string citation, string authority)
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var (name, email, _) = DemoCrmConnector.Person(Person);

        var ready = await RequestAndApproveAsync(factory, client, "access", name, email, jurisdiction, Journeys.DemoPersonProof(Person));
        var zipBytes = await DownloadAsync(client, ready.PathOfLink("/download/"), await client.GetStringAsync(ready.PathOfLink("/download/")));

        using var zip = new ZipArchive(new MemoryStream(zipBytes), ZipArchiveMode.Read);
        var index = System.Net.WebUtility.HtmlDecode(Read(zip, "index.html"));
        Assert.Contains("<li>Invoices: kept for 7 years because UK tax law requires invoices to be kept (we keep them 7 years) " + citation + "</li>", index, StringComparison.Ordinal);
        Assert.Contains("you have the right to complain to " + authority, index, StringComparison.Ordinal);
        Assert.DoesNotContain("UK GDPR", index, StringComparison.Ordinal);
        Assert.DoesNotContain("Information Commissioner", index, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccessRequest_WhoseCopyCannotBeDeletedOnce_IsBuiltAgainWithEverySource_AndTheCopiesGoAfterwards()
    {
        // The export store refuses the second source's copy deletion once (a blob service hiccup) while the package is built.
        PartDeleteFailsOnce? store = null;
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?> { ["DataRights:Workflow:RetryBaseDelay"] = "00:00:01" })
        {
            ConfigureServices = services => services.AddSingleton<IExportStore>(sp => store = new PartDeleteFailsOnce(sp.GetRequiredService<AzureBlobExportStore>())),
        };
        using var client = factory.CreateClient();
        var (name, email, _) = DemoCrmConnector.Person(Person);

        await Journeys.SubmitAndVerifyAsync(factory, client, "access", name, email, null, "UK");
        await WorkflowEndToEndTests.FollowAsync(client, factory.Outbox.Single(m => m.To == "approver@example.com").PathOfLink("/approve/"), "Approve and carry out", ("decision", "approve"));
        await factory.DrainAsync();
        await factory.AdvanceAsync(TimeSpan.FromSeconds(2));
        var ready = factory.Outbox.Single(m => m.Subject.StartsWith("Your data is ready", StringComparison.Ordinal));
        var page = await client.GetStringAsync(ready.PathOfLink("/download/"));
        using var zip = new ZipArchive(new MemoryStream(await DownloadAsync(client, ready.PathOfLink("/download/"), page)), ZipArchiveMode.Read);

        Assert.True(store!.Failed);
        foreach (var source in new[] { "Customer records CRM", "Billing", "Call and SMS records", "Call recordings metadata", "Support tickets", "Newsletter subscribers" })
        {
            Assert.Contains($"{source}/records.json", zip.Entries.Select(e => e.FullName));
        }

        var request = await factory.Stored.SingleRequestAsync();
        Assert.Equal(request.Progress.Sources.Sum(s => s.Outcome?.Exported ?? 0), request.Progress.Export!.Records);
        // Only the sealed package is left.
        Assert.Equal([ExportFiles.PackageName], (await factory.ExportBlobsAsync()).Keys.Select(k => k[(k.IndexOf('/', StringComparison.Ordinal) + 1)..]));
    }

    [Fact]
    public async Task CopyGoneBeforeTheBuild_IsMadeAgain_AndThePackageHasEverySource()
    {
        // The CRM's copy is gone when the package is to be built (removed from storage): it is made again, never left out.
        PartGoneOnce? store = null;
        using var factory = new DataRightsFactory
        {
            ConfigureServices = services => services.AddSingleton<IExportStore>(sp => store = new PartGoneOnce(sp.GetRequiredService<AzureBlobExportStore>(), ExportFiles.PartName("crm"))),
        };
        using var client = factory.CreateClient();
        var (name, email, _) = DemoCrmConnector.Person(Person);

        var ready = await RequestAndApproveAsync(factory, client, "access", name, email);
        var page = await client.GetStringAsync(ready.Link);
        using var zip = new ZipArchive(new MemoryStream(await DownloadAsync(client, ready.Link, page)), ZipArchiveMode.Read);

        Assert.True(store!.Removed);
        Assert.Contains("Customer records CRM/records.json", zip.Entries.Select(e => e.FullName));
        var request = await factory.Stored.SingleRequestAsync();
        Assert.Equal((StepState.Succeeded, 2), (request.Progress.Source("crm")!.Execution, request.Progress.Source("crm")!.ExecutionRound));
        Assert.Equal("crm", Assert.Single(await factory.Stored.AuditAsync("export.copies_missing")).Detail("sources"));
        Assert.Equal(request.Progress.Sources.Sum(s => s.Outcome?.Exported ?? 0), request.Progress.Export!.Records);

        // And the build itself refuses a package without a copy that made one.
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => factory.Services.GetRequiredService<ExportPackager>().BuildAsync(request, CancellationToken.None));
        Assert.Contains("is missing", refused.Message, StringComparison.Ordinal);
    }

    internal static async Task<Infrastructure.OutboxMessageView> RequestAndApproveAsync(
        DataRightsFactory factory, HttpClient client, string type, string name, string email, string jurisdiction = "UK", params (string Name, string Value)[] verification)
    {
        await Journeys.SubmitAndVerifyAsync(factory, client, type, name, email, null, jurisdiction, verification);
        var approval = factory.Outbox.Single(m => m.To == "approver@example.com");

        // The approver reads what approving does at each source: a copy, whether the system may be changed or only read.
        var page = System.Net.WebUtility.HtmlDecode(await client.GetStringAsync(approval.PathOfLink("/approve/")));
        Assert.Contains(type == "portability" ? "the data they gave us is copied into the export emailed to them." : "their records are copied into the export emailed to them.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("about you here", page, StringComparison.Ordinal);
        await WorkflowEndToEndTests.FollowAsync(client, approval.PathOfLink("/approve/"), "Approve and carry out", ("decision", "approve"));
        await factory.DrainAsync();
        var ready = factory.Outbox.Single(m => m.Subject.StartsWith("Your data is ready", StringComparison.Ordinal));
        Assert.Equal(email, ready.To);
        return new Infrastructure.OutboxMessageView(ready.Text, ready.PathOfLink("/download/"));
    }

    private static async Task<byte[]> DownloadAsync(HttpClient client, string path, string page)
    {
        using var response = await client.PostAsync(path, Form(page));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? string.Empty, StringComparison.Ordinal);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static FormUrlEncodedContent Form(string page) => new([new("__csrf", Forms.CsrfToken(page))]);

    private static JsonElement Json(ZipArchive zip, string name) => JsonDocument.Parse(Read(zip, name)).RootElement.Clone();

    private static JsonElement Table(JsonElement source, string category) =>
        source.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("category").GetString() == category).GetProperty("rows");

    private static string Read(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open(), detectEncodingFromByteOrderMarks: false);
        return reader.ReadToEnd();
    }

    /// <summary>The export store, which removes one source's copy the first time anyone asks whether it is there.</summary>
    private sealed class PartGoneOnce(IExportStore inner, string part) : IExportStore
    {
        private int _asked;

        public bool Removed => Volatile.Read(ref _asked) > 0;

        public Task<IExportUpload> CreateAsync(string requestId, string name, CancellationToken cancellationToken) => inner.CreateAsync(requestId, name, cancellationToken);

        public Task<Stream?> OpenReadAsync(string requestId, string name, CancellationToken cancellationToken) => inner.OpenReadAsync(requestId, name, cancellationToken);

        public async Task<bool> ExistsAsync(string requestId, string name, CancellationToken cancellationToken)
        {
            if (name == part && Interlocked.Increment(ref _asked) == 1)
            {
                await inner.DeleteAsync(requestId, name, cancellationToken);
            }

            return await inner.ExistsAsync(requestId, name, cancellationToken);
        }

        public Task DeleteAsync(string requestId, string name, CancellationToken cancellationToken) => inner.DeleteAsync(requestId, name, cancellationToken);

        public Task<int> DeleteAllAsync(string requestId, CancellationToken cancellationToken) => inner.DeleteAllAsync(requestId, cancellationToken);
    }

    /// <summary>The export store, whose second deletion of a source's copy fails once.</summary>
    private sealed class PartDeleteFailsOnce(IExportStore inner) : IExportStore
    {
        private int _partDeletes;

        public bool Failed => Volatile.Read(ref _partDeletes) >= 2;

        public Task<IExportUpload> CreateAsync(string requestId, string name, CancellationToken cancellationToken) => inner.CreateAsync(requestId, name, cancellationToken);

        public Task<Stream?> OpenReadAsync(string requestId, string name, CancellationToken cancellationToken) => inner.OpenReadAsync(requestId, name, cancellationToken);

        public Task<bool> ExistsAsync(string requestId, string name, CancellationToken cancellationToken) => inner.ExistsAsync(requestId, name, cancellationToken);

        public Task DeleteAsync(string requestId, string name, CancellationToken cancellationToken) =>
            name.EndsWith(".part", StringComparison.Ordinal) && Interlocked.Increment(ref _partDeletes) == 2
                ? throw new IOException("The blob service is busy.")
                : inner.DeleteAsync(requestId, name, cancellationToken);

        public Task<int> DeleteAllAsync(string requestId, CancellationToken cancellationToken) => inner.DeleteAllAsync(requestId, cancellationToken);
    }
}
