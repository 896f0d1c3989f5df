using System.Diagnostics;
using System.Globalization;
using System.Net;
using Azure.Data.Tables;
using DataRights.Bench.Reporting;
using DataRights.Core.Audit;
using DataRights.Core.Deadlines;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using DataRights.Host.Staff;
using DataRights.Storage.AzureTables;
using DataRights.Testing;
using DataRights.Testing.Azurite;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DataRights.Bench.Inbox;

/// <summary>
/// The staff console's inbox over many open requests: the real program in-process (its own HTTP pipeline, in-memory
/// test server, signed in with the development sign-in cookie), its store on Azurite seeded directly through the store
/// (not over HTTP). Each sample times one GET of an inbox page; the cases take turns sample by sample with the raw
/// limit on the same Azurite (one range query of 26 rows on the index, and 25 point reads of request rows in
/// parallel), so a busy moment on the machine hits all alike.
/// </summary>
internal static class InboxBenchmark
{
    private const int SeedWorkers = 192;

    public static async Task<int> RunAsync(int requests, int samples, TextWriter output, CancellationToken cancellationToken)
    {
        using var scratch = new Hosting.ScratchDirectory("datarights-bench-inbox-");
        var machine = MachineFacts.Collect(await Storage.SqliteVersion.ReadAsync(cancellationToken));
        output.WriteLine("DataRights bench: staff console inbox (GET /staff through the real program, in-memory test server, store on Azurite)");
        output.WriteLine($"Machine   : {machine.Summary}");
        output.WriteLine(Invariant($"Run       : {requests} open requests, {samples} timed requests per case, one at a time"));
        output.WriteLine($"Load avg  : {MachineFacts.LoadAverage()} at start");

        await using var azurite = await AzuriteServer.StartAsync(cancellationToken);
        var settings = new Dictionary<string, string?>(SharedAzurite.StorageSettings(azurite, scratch.File("host")))
        {
            ["DataRights:DataDirectory"] = scratch.File("host"),
            ["DataRights:Durable:HubName"] = "benchinbox",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        using var host = new Workflow.WorkflowHost(settings, new InMemorySourceRegistry());
        using var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        await SignInAsync(client, cancellationToken);
        var store = host.Services.GetRequiredService<AzureTableRequestStore>();
        var index = host.Services.GetRequiredService<IInboxIndex>();

        var seeding = Stopwatch.StartNew();
        var seeded = await SeedAsync(store, requests, host.Services.GetRequiredService<TimeProvider>().GetUtcNow(), cancellationToken);
        output.WriteLine(Invariant($"Seeded    : {seeded.Count} requests through the store in {seeding.Elapsed.TotalSeconds:0} s ({seeded.Count / seeding.Elapsed.TotalSeconds:0}/s, {SeedWorkers} at once); load avg {MachineFacts.LoadAverage()}"));

        // Page 50: the cursor after 49 pages, as the 49th page's "next" link carries it.
        var page50 = await index.ListAsync(new InboxFilter(), null, 49 * 25, cancellationToken);
        var page50Url = "/staff?after=" + Uri.EscapeDataString(ContinuationTokens.Write(page50.Next ?? throw new InvalidOperationException("Fewer than 50 pages of open requests.")));
        var raw = new TableServiceClient(azurite.ConnectionString);
        var prefix = settings["DataRights:Storage:TablePrefix"]!;
        var inboxTable = raw.GetTableClient(prefix + "Inbox");
        var requestsTable = raw.GetTableClient(prefix + "Requests");
        var random = new Random(7);

        var cases = new (string Name, Func<int, Task<bool>> Run)[]
        {
            ("first page, no filter", _ => PageAsync(client, "/staff", null, cancellationToken)),
            ("status filter (verified, 5%)", _ => PageAsync(client, "/staff?status=verified", null, cancellationToken)),
            ("search by reference", i => Pick(seeded, random) is var r ? PageAsync(client, "/staff?q=" + r.Reference, r.Reference, cancellationToken) : Task.FromResult(false)),
            ("search by address", i => Pick(seeded, random) is var r ? PageAsync(client, "/staff?q=" + Uri.EscapeDataString(r.Email.ToUpperInvariant()), r.Reference, cancellationToken) : Task.FromResult(false)),
            ("page 50 by cursor", _ => PageAsync(client, page50Url, null, cancellationToken)),
            ("raw: range query of 26 rows", _ => RawRangeAsync(inboxTable, cancellationToken)),
            ("raw: 25 point reads in parallel", _ => RawPointReadsAsync(requestsTable, seeded, random, cancellationToken)),
        };

        // Warm-up: every case twice, untimed.
        foreach (var (_, run) in cases)
        {
            await run(0);
            await run(0);
        }

        var timings = cases.Select(_ => new List<double>(samples)).ToArray();
        var failures = new int[cases.Length];
        for (var i = 0; i < samples; i++)
        {
            for (var c = 0; c < cases.Length; c++)
            {
                var clock = Stopwatch.StartNew();
                var ok = await cases[c].Run(i);
                timings[c].Add(clock.Elapsed.TotalMilliseconds);
                failures[c] += ok ? 0 : 1;
            }
        }

        var load = MachineFacts.LoadAverage();
        var rawLimit = Percentile(timings[5], 0.50) + Percentile(timings[6], 0.50);
        var table = new TextTable("case", "p50 ms", "p95 ms", "p99 ms", "max ms", "failed", "p50 / raw");
        for (var c = 0; c < cases.Length; c++)
        {
            var t = timings[c];
            table.Add(
                cases[c].Name,
                Invariant($"{Percentile(t, 0.50):0.0}"),
                Invariant($"{Percentile(t, 0.95):0.0}"),
                Invariant($"{Percentile(t, 0.99):0.0}"),
                Invariant($"{t.Max():0.0}"),
                failures[c].ToString(CultureInfo.InvariantCulture),
                c < 5 ? Invariant($"{Percentile(t, 0.50) / rawLimit:0.0}") : "-");
        }

        output.WriteLine();
        output.Write(table);
        output.WriteLine();
        output.WriteLine(Invariant($"Raw limit of one page (range query p50 + 25 point reads p50): {rawLimit:0.0} ms. Load average after the run: {load}"));
        var worst = timings.Take(5).Max(t => Percentile(t, 0.95));
        output.WriteLine(Invariant($"Target p95 <= 300 ms: {(worst <= 300 ? "met" : "NOT met")} (worst case p95 {worst:0.0} ms)"));
        return failures.Take(5).Sum() == 0 ? 0 : 1;
    }

    /// <summary>Signs in as the development sign-in form does: its page's anti-forgery token, then the form.</summary>
    private static async Task SignInAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var form = await client.GetStringAsync("/staff/signin?returnUrl=%2Fstaff", cancellationToken);
        const string Marker = "name=\"__csrf\" value=\"";
        var start = form.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length;
        var token = form[start..form.IndexOf('"', start)];
        using var response = await client.PostAsync(
            "/staff/signin",
            new FormUrlEncodedContent([new("name", "Bench Officer"), new("role", "approver"), new("returnUrl", "/staff"), new("__csrf", WebUtility.HtmlDecode(token))]),
            cancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"The development sign-in answered {(int)response.StatusCode}.");
        }
    }

    /// <summary>One inbox page; true when it answered 200 with rows (and, when given, the reference expected).</summary>
    private static async Task<bool> PageAsync(HttpClient client, string url, string? mustShow, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(url, cancellationToken);
        var html = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.OK
            && html.Contains("<tbody>", StringComparison.Ordinal)
            && (mustShow is null || html.Contains(">" + mustShow + "</a>", StringComparison.Ordinal));
    }

    private static async Task<bool> RawRangeAsync(TableClient inbox, CancellationToken cancellationToken)
    {
        await foreach (var page in inbox.QueryAsync<TableEntity>("PartitionKey eq 'open' and RowKey gt '2'", maxPerPage: 26, cancellationToken: cancellationToken).AsPages(pageSizeHint: 26))
        {
            return page.Values.Count == 26;
        }

        return false;
    }

    private static async Task<bool> RawPointReadsAsync(TableClient requests, IReadOnlyList<DataSubjectRequest> seeded, Random random, CancellationToken cancellationToken)
    {
        var ids = Enumerable.Range(0, 25).Select(_ => Pick(seeded, random).Id).ToList();
        var found = await Task.WhenAll(ids.Select(id => requests.GetEntityIfExistsAsync<TableEntity>(id, "request", cancellationToken: cancellationToken)));
        return found.All(f => f.HasValue);
    }

    private static DataSubjectRequest Pick(IReadOnlyList<DataSubjectRequest> seeded, Random random)
    {
        lock (random)
        {
            return seeded[random.Next(seeded.Count)];
        }
    }

    /// <summary>
    /// N open requests through the store (claims grouped as they arrive together), received over the last 60 days, due a
    /// month after (so some are overdue), of every right and place; statuses: 5% verified, 5% waiting for approval, 5%
    /// failed, the rest waiting for the requester. No work items, so the program's workers stay idle.
    /// </summary>
    private static async Task<List<DataSubjectRequest>> SeedAsync(AzureTableRequestStore store, int count, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var types = Enum.GetValues<RequestType>();
        var places = new[] { Jurisdiction.UK, Jurisdiction.EU, Jurisdiction.UK, Jurisdiction.EU };
        var stored = new DataSubjectRequest[count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, SeedWorkers).Select(_ => Task.Run(
            async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    var receivedAt = now - TimeSpan.FromDays(60) * (i / (double)count);
                    var receivedOn = DateOnly.FromDateTime(receivedAt.UtcDateTime);
                    var intake = new ValidatedIntake(types[i % types.Length], Invariant($"person.{i}@example.com"), Invariant($"Person {i}"), places[i % places.Length], null, null);
                    var request = new NewRequest(
                        Invariant($"dr_bench{i:D8}"),
                        intake,
                        IntakeChannel.Api,
                        receivedAt,
                        new Deadline("uk-gdpr", receivedOn, receivedOn.AddMonths(1), null),
                        Invariant($"{i:D64}"),
                        RequestFingerprint.Compute(intake),
                        "requester");
                    var status = (i % 20) switch
                    {
                        0 => RequestStatus.Verified,
                        1 => RequestStatus.AwaitingApproval,
                        2 => RequestStatus.Failed,
                        _ => RequestStatus.AwaitingVerification,
                    };
                    stored[i] = (await store.SubmitAsync(request, receivedAt, r => Start(r, status), cancellationToken)).Request;
                }
            },
            cancellationToken)));
        return [.. stored];
    }

    private static Decision Start(DataSubjectRequest received, RequestStatus status) => new(
        received with { Status = status },
        [new AuditDraft(received.ReceivedAt, "system", "bench.seeded", received.Status.Name(), status.Name())],
        []);

    private static double Percentile(List<double> samples, double p)
    {
        var sorted = samples.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
