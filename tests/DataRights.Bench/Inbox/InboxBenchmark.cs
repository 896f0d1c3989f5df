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
    private const int SeedWorkers = 8;

    /// <summary>How many of the requests go through the store's intake path, one submission each (the rest are imported in bulk).</summary>
    private const int ThroughIntake = 500;

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
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var regimes = host.Services.GetRequiredService<DeadlineRegimes>();
        var raw = new TableServiceClient(azurite.ConnectionString);
        var prefix = settings["DataRights:Storage:TablePrefix"]!;

        var seeded = await SeedAsync(store, host.Services.GetRequiredService<DeadlineCalculator>(), regimes, requests, now, output, cancellationToken);
        // An imported request like the last one submitted (place, right, status), so the same optional columns apply to both.
        var submittedLast = seeded[^1];
        var importedAlike = seeded.Take(seeded.Count - ThroughIntake).FirstOrDefault(r => (r.Jurisdiction, r.Type, r.Status) == (submittedLast.Jurisdiction, submittedLast.Type, submittedLast.Status)) ?? seeded[0];
        output.WriteLine($"Row shapes: {await CompareRowsAsync(raw, prefix, store, importedAlike, submittedLast, cancellationToken)}");

        // Page 50: the cursor after 49 pages, as the 49th page's "next" link carries it.
        OpenRequestCursor? page50 = null;
        for (var page = 1; page < 50; page++)
        {
            page50 = (await index.ListAsync(new InboxFilter(), page50, 25, cancellationToken)).Next ?? throw new InvalidOperationException("Fewer than 50 pages of open requests.");
        }

        var page50Url = "/staff?after=" + Uri.EscapeDataString(ContinuationTokens.Write(page50!));
        var inboxTable = raw.GetTableClient(prefix + "Inbox");
        var requestsTable = raw.GetTableClient(prefix + "Requests");
        var random = new Random(7);

        // Shares of the open requests each filter matches (overdue: as the page's own check, in each request's local date).
        double Share(Func<DataSubjectRequest, bool> match) => seeded.Count(match) * 100.0 / seeded.Count;
        var overdue = Share(r => r.Deadline.DueOn < DeadlineCalculator.LocalDate(regimes.For(r.Jurisdiction), now));
        var narrow = seeded.Count(r => r is { Status: RequestStatus.Failed, Type: RequestType.Restriction, Jurisdiction: Jurisdiction.BR });
        var cases = new (string Name, Func<int, Task<bool>> Run)[]
        {
            ("first page, no filter", _ => PageAsync(client, "/staff", null, cancellationToken)),
            (Invariant($"status filter (verified, {Share(r => r.Status == RequestStatus.Verified):0.0}%)"), _ => PageAsync(client, "/staff?status=verified", null, cancellationToken)),
            (Invariant($"right + place (erasure, EU, {Share(r => r is { Type: RequestType.Erasure, Jurisdiction: Jurisdiction.EU }):0.0}%)"), _ => PageAsync(client, "/staff?right=erasure&jurisdiction=EU", null, cancellationToken)),
            (Invariant($"overdue only ({overdue:0.0}%)"), _ => PageAsync(client, "/staff?overdue=yes", null, cancellationToken)),
            ("search by reference", _ => Pick(seeded, random) is var r ? PageAsync(client, "/staff?q=" + r.Reference, r.Reference, cancellationToken) : Task.FromResult(false)),
            ("search by address", _ => Pick(seeded, random) is var r ? PageAsync(client, "/staff?q=" + Uri.EscapeDataString(r.Email.ToUpperInvariant()), r.Reference, cancellationToken) : Task.FromResult(false)),
            ("page 50 by cursor", _ => PageAsync(client, page50Url, null, cancellationToken)),
            (Invariant($"narrow filter ({narrow} match: failed, restriction, Brazil)"), _ => NarrowAsync(client, "/staff?status=failed&right=restriction&jurisdiction=BR", cancellationToken)),
            ("raw: range query of 26 rows (one window)", _ => RawRangeAsync(inboxTable, DateOnly.FromDateTime(now.UtcDateTime), cancellationToken)),
            ("raw: 25 point reads in parallel", _ => RawPointReadsAsync(requestsTable, seeded, random, cancellationToken)),
        };
        const int Pages = 8;

        // Warm-up: every case twice, untimed.
        foreach (var (_, run) in cases)
        {
            await run(0);
            await run(0);
        }

        var timings = cases.Select(_ => new List<double>(samples)).ToArray();
        var failures = new int[cases.Length];
        var loads = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            for (var c = 0; c < cases.Length; c++)
            {
                var clock = Stopwatch.StartNew();
                var ok = await cases[c].Run(i);
                timings[c].Add(clock.Elapsed.TotalMilliseconds);
                failures[c] += ok ? 0 : 1;
            }

            loads.Add(MachineFacts.LoadAverageOneMinute());
        }

        var load = MachineFacts.LoadAverage();
        var rawLimit = Percentile(timings[Pages], 0.50) + Percentile(timings[Pages + 1], 0.50);
        var table = new TextTable("case", "p50 ms", "p95 ms", "p99 ms", "max ms", "failed", "p50 / raw", "load 1 min (median, max)");
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
                c < Pages ? Invariant($"{Percentile(t, 0.50) / rawLimit:0.0}") : "-",
                Invariant($"{Percentile(loads, 0.50):0.0}, {loads.Max():0.0}"));
        }

        output.WriteLine();
        output.Write(table);
        output.WriteLine();
        output.WriteLine(Invariant($"Raw limit of one page (range query p50 + 25 point reads p50): {rawLimit:0.0} ms. Load average after the run: {load}"));
        var worst = timings.Take(Pages).Max(t => Percentile(t, 0.95));
        output.WriteLine(Invariant($"Target p95 <= 300 ms: {(worst <= 300 ? "met" : "NOT met")} (worst case p95 {worst:0.0} ms)"));
        return failures.Take(Pages).Sum() == 0 ? 0 : 1;
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

    /// <summary>A narrow filter's page: 200 with its matches, the offer to look further down the list, or none found.</summary>
    private static async Task<bool> NarrowAsync(HttpClient client, string url, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(url, cancellationToken);
        var html = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.OK
            && (html.Contains("<tbody>", StringComparison.Ordinal)
                || html.Contains("Look further down the list", StringComparison.Ordinal)
                || html.Contains("No open requests match.", StringComparison.Ordinal));
    }

    private static async Task<bool> RawRangeAsync(TableClient inbox, DateOnly today, CancellationToken cancellationToken)
    {
        // The window a first page reads first, as the store asks for it: the partitions of the days due before today (until
        // 2026-12-05 every due day's, which sorted the whole index where a page sorts one window, and flattered the pages).
        var before = today.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        await foreach (var page in inbox.QueryAsync<TableEntity>($"PartitionKey ge '00010101' and PartitionKey lt '{before}'", maxPerPage: 26, cancellationToken: cancellationToken).AsPages(pageSizeHint: 26))
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
    /// N open requests: all but <see cref="ThroughIntake"/> of them loaded by the store's bulk import (the request
    /// partitions and inbox rows intake writes, many to a transaction; not the lookups rows, whose one partition Azurite
    /// slows down on as it grows), the rest through the store's intake path (its claim, inbox row and partition) as
    /// each arrives. A mix like a working inbox: most received over the last four weeks, 3% stuck for one to four months
    /// (overdue), 2% extended; six places and six rights in unequal shares, every open status. Their first decision sets
    /// the status and queues no work, so the program's workers stay idle.
    /// </summary>
    private static async Task<List<DataSubjectRequest>> SeedAsync(
        AzureTableRequestStore store, DeadlineCalculator calculator, DeadlineRegimes regimes, int count, DateTimeOffset now, TextWriter output, CancellationToken cancellationToken)
    {
        var random = new Random(11);
        var requests = new List<(NewRequest Request, RequestStatus Status)>(count);
        for (var i = 0; i < count; i++)
        {
            var receivedAt = random.Next(100) < 3
                ? now - TimeSpan.FromDays(32 + (random.NextDouble() * 88))
                : now - TimeSpan.FromDays(random.NextDouble() * 28);
            var place = Weighted(random, Places);
            var regime = regimes.For(place);
            var deadline = calculator.Compute(regime, receivedAt);
            if (random.Next(100) < 2)
            {
                deadline = deadline with { DueOn = calculator.Extend(regime, deadline.DueOn) };
            }

            var intake = new ValidatedIntake(Weighted(random, Rights), Invariant($"person.{i}@example.com"), Invariant($"Person {i}"), place, null, null);
            requests.Add((new NewRequest(
                Invariant($"dr_bench{i:D8}"),
                intake,
                IntakeChannel.Api,
                receivedAt,
                deadline,
                Invariant($"{i:D64}"),
                RequestFingerprint.Compute(intake),
                "requester"), Weighted(random, Statuses)));
        }

        var statusOf = requests.ToDictionary(r => r.Request.Id, r => r.Status, StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        var imported = await store.ImportAsync([.. requests.Take(count - ThroughIntake).Select(r => r.Request)], r => Start(r, statusOf[r.Id]),
            SeedWorkers,
            done => output.WriteLine(Invariant($"Importing : {(done == 0 ? "inbox rows written" : done + " request partitions written")} after {clock.Elapsed.TotalSeconds:0} s; load avg {MachineFacts.LoadAverage()}")),
            cancellationToken);
        output.WriteLine(Invariant($"Seeded    : {imported.Count} requests by the store's bulk import in {clock.Elapsed.TotalSeconds:0} s; load avg {MachineFacts.LoadAverage()}"));

        clock.Restart();
        var submitted = new DataSubjectRequest[ThroughIntake];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, ThroughIntake),
            new ParallelOptions { MaxDegreeOfParallelism = SeedWorkers, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                var (request, status) = requests[count - ThroughIntake + i];
                submitted[i] = (await store.SubmitAsync(request, request.ReceivedAt, r => Start(r, status), token)).Request;
            });
        output.WriteLine(Invariant($"Seeded    : {ThroughIntake} requests through the store's intake path in {clock.Elapsed.TotalSeconds:0} s; load avg {MachineFacts.LoadAverage()}"));
        return [.. imported, .. submitted];
    }

    private static readonly (Jurisdiction Value, int Weight)[] Places =
        [(Jurisdiction.UK, 40), (Jurisdiction.EU, 35), (Jurisdiction.UsCa, 15), (Jurisdiction.BR, 5), (Jurisdiction.IN, 3), (Jurisdiction.Other, 2)];

    private static readonly (RequestType Value, int Weight)[] Rights =
        [(RequestType.Access, 45), (RequestType.Erasure, 35), (RequestType.Rectification, 8), (RequestType.Objection, 6), (RequestType.Restriction, 3), (RequestType.Portability, 3)];

    private static readonly (RequestStatus Value, int Weight)[] Statuses =
    [
        (RequestStatus.Received, 1), (RequestStatus.AwaitingVerification, 34), (RequestStatus.Verified, 5), (RequestStatus.Discovering, 10),
        (RequestStatus.AwaitingApproval, 15), (RequestStatus.AwaitingInformation, 8), (RequestStatus.Executing, 23), (RequestStatus.Failed, 4),
    ];

    private static T Weighted<T>(Random random, (T Value, int Weight)[] shares)
    {
        var pick = random.Next(shares.Sum(s => s.Weight));
        foreach (var (value, weight) in shares)
        {
            if ((pick -= weight) < 0)
            {
                return value;
            }
        }

        return shares[^1].Value;
    }

    /// <summary>
    /// Whether the bulk import wrote what intake writes of the rows the inbox reads: the same columns for a request of each kind,
    /// and an imported request read back through the store equal to what was written.
    /// </summary>
    private static async Task<string> CompareRowsAsync(TableServiceClient raw, string prefix, AzureTableRequestStore store, DataSubjectRequest imported, DataSubjectRequest submitted, CancellationToken cancellationToken)
    {
        var differences = new List<string>();
        async Task<SortedSet<string>> ColumnsAsync(string table, string filter)
        {
            var columns = new SortedSet<string>(StringComparer.Ordinal);
            await foreach (var row in raw.GetTableClient(prefix + table).QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                columns.Add(new string([.. row.RowKey.TakeWhile(char.IsAsciiLetter)]) + ":" + string.Join(',', row.Keys.Where(k => k is not ("odata.etag" or "Timestamp" or "PartitionKey" or "RowKey")).Order(StringComparer.Ordinal)));
            }

            return columns;
        }

        foreach (var (table, filterOf) in new (string, Func<DataSubjectRequest, string>)[]
        {
            ("Requests", r => $"PartitionKey eq '{r.Id}'"),
            ("Inbox", r => $"RequestId eq '{r.Id}'"),
        })
        {
            var (byImport, byIntake) = (await ColumnsAsync(table, filterOf(imported)), await ColumnsAsync(table, filterOf(submitted)));
            if (!byImport.SetEquals(byIntake))
            {
                // Which rows' columns differ, so a run says what to look at.
                differences.Add($"{table} (imported only: {string.Join("; ", byImport.Except(byIntake))}; intake only: {string.Join("; ", byIntake.Except(byImport))})");
            }
        }

        var readBack = await store.GetAsync(imported.Id, cancellationToken);
        if (readBack is null || WorkflowJson.Serialize(readBack) != WorkflowJson.Serialize(imported))
        {
            differences.Add("read back");
        }

        return differences.Count == 0 ? "same columns in Requests and Inbox; read back through the store unchanged" : "DIFFERENT: " + string.Join(", ", differences);
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
