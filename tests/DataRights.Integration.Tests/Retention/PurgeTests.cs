using System.Globalization;
using System.Net;
using System.Text.Json;
using DataRights.Core.Retention;
using DataRights.Core.Sources;
using DataRights.Core.Text;
using DataRights.Host.Retention;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Integration.Tests.Workflow;
using DataRights.Testing;
using static DataRights.Integration.Tests.Retention.PurgeKit;

namespace DataRights.Integration.Tests.Retention;

/// <summary>
/// Retention purges on the real demo SQLite sources, through the staff API, with the fake clock at
/// Monday 2 November 2026, 09:30 UTC. The demo records are dated back from the day they are seeded
/// (<see cref="SeedDates"/>), so what a purge takes is counted from the seeded data and the rule's cutoff.
/// </summary>
public sealed class PurgeTests
{
    [Fact]
    public async Task Purge_RecordOneDayYoungerThanItsLimitStays_OneDayOlderGoes()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var recordings = Demo(factory, "recordings.db");
        var seededPastRetention = Database.Scalar(recordings, "SELECT COUNT(*) FROM recordings WHERE recorded_at < '2026-10-05'");

        // Recordings are kept 28 days (sample policy): on 2 November the last day kept is for 5 October.
        Database.Execute(recordings, """
            INSERT INTO recordings (customer_email, recorded_at, storage_uri) VALUES
              ('older@example.net', '2026-10-04T18:00:00Z', 'r/older.wav'),
              ('at.limit@example.net', '2026-10-05T09:00:00Z', 'r/limit.wav'),
              ('younger@example.net', '2026-10-06T08:00:00Z', 'r/younger.wav')
            """);

        var report = await RunNowAsync(client, "us-west", dryRun: false);

        Assert.Equal(0, Database.Scalar(recordings, "SELECT COUNT(*) FROM recordings WHERE customer_email = 'older@example.net'"));
        Assert.Equal(1, Database.Scalar(recordings, "SELECT COUNT(*) FROM recordings WHERE customer_email = 'at.limit@example.net'"));
        Assert.Equal(1, Database.Scalar(recordings, "SELECT COUNT(*) FROM recordings WHERE customer_email = 'younger@example.net'"));
        Assert.Equal(DemoCrmConnector.SeededPeople - seededPastRetention + 2, Database.Scalar(recordings, "SELECT COUNT(*) FROM recordings"));
        var line = Line(report, "recordings", "telephony.recording");
        Assert.Equal("done", line.GetProperty("state").GetString());
        Assert.Equal("2026-10-05", line.GetProperty("cutoff").GetString());
        Assert.Equal(seededPastRetention + 1, Count(line, "purged"));
        Assert.Equal("completed", report.GetProperty("status").GetString());
        Assert.True(report.GetProperty("audit").GetProperty("chainValid").GetBoolean());
    }

    [Theory]
    [InlineData("2026-11-02")]
    [InlineData("2027-03-15")]
    public async Task RealPurge_RightAfterSeeding_RemovesOnlyWhatIsPastRetentionAndKeepsTheRest(string day)
    {
        var today = DateOnly.Parse(day, CultureInfo.InvariantCulture);
        using var factory = new DataRightsFactory(clock: new FakeTimeProvider(new DateTimeOffset(today.ToDateTime(new TimeOnly(9, 30)), TimeSpan.Zero)));
        using var client = factory.CreateClient();
        var tables = new[]
        {
            (Region: "us-east", Source: "telephony", Category: "telephony.cdr", File: "telephony.db", Table: "cdrs", Date: "started_at"),
            (Region: "us-east", Source: "telephony", Category: "telephony.sms", File: "telephony.db", Table: "sms", Date: "sent_at"),
            (Region: "us-west", Source: "recordings", Category: "telephony.recording", File: "recordings.db", Table: "recordings", Date: "recorded_at"),
        };
        var seeded = tables.Select(t =>
        {
            var cutoff = PurgeCutoff.For(SampleRetentionPolicy.Rules.Single(r => r.Category == t.Category), today).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var (rows, due, _) = Due(Demo(factory, t.File), t.Table, t.Date, "id", cutoff, null);
            return (t, cutoff, rows, due);
        }).ToList();

        var reports = new Dictionary<string, JsonElement>
        {
            ["us-east"] = await RunNowAsync(client, "us-east", dryRun: false),
            ["us-west"] = await RunNowAsync(client, "us-west", dryRun: false),
        };

        foreach (var (t, cutoff, rows, due) in seeded)
        {
            Assert.InRange(due, 1, rows - 1);
            var line = Line(reports[t.Region], t.Source, t.Category);
            Assert.Equal(cutoff, line.GetProperty("cutoff").GetString());
            Assert.Equal(due, Count(line, "purged"));
            Assert.Equal(rows - due, Database.Scalar(Demo(factory, t.File), $"SELECT COUNT(*) FROM {t.Table}"));
            Assert.Equal(0, Database.Scalar(Demo(factory, t.File), $"SELECT COUNT(*) FROM {t.Table} WHERE {t.Date} < $c", ("$c", cutoff)));
        }
    }

    [Fact]
    public async Task Purge_SparesPeopleAndSourcesUnderLegalHoldAndWhatARetainedCategoryKeeps()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var held = await HoldsAndARetainedCategoryAsync(client);
        var billing = Demo(factory, "billing.db");
        var invoicesOlderThanAYear = Database.Scalar(billing, "SELECT COUNT(*) FROM invoices WHERE issued_on < '2025-11-02'");
        var telephony = Demo(factory, "telephony.db");
        var (calls, callsDue, callsHeld) = Due(telephony, "cdrs", "started_at", "caller_email", "2026-05-02", held);
        var (messages, messagesDue, messagesHeld) = Due(telephony, "sms", "sent_at", "sender_email", "2026-05-02", held);
        var closedAccounts = Database.Scalar(billing, "SELECT COUNT(*) FROM accounts WHERE closed_on < '2026-11-01'");
        var (_, recordingsDue, _) = Due(Demo(factory, "recordings.db"), "recordings", "recorded_at", "customer_email", "2026-10-05", null);

        var usEast = await RunNowAsync(client, "us-east", dryRun: false);
        var usWest = await RunNowAsync(client, "us-west", dryRun: false);
        var euWest = await RunNowAsync(client, "eu-west", dryRun: false);

        Assert.True(callsHeld > 0 && messagesHeld > 0 && callsDue < calls);
        Assert.Equal(calls - callsDue + callsHeld, Database.Scalar(telephony, "SELECT COUNT(*) FROM cdrs"));
        Assert.Equal(2, Database.Scalar(telephony, "SELECT COUNT(*) FROM cdrs WHERE caller_email = $e", ("$e", held)));
        Assert.Equal(messages - messagesDue + messagesHeld, Database.Scalar(telephony, "SELECT COUNT(*) FROM sms"));
        Assert.Equal(callsHeld, Count(Line(usEast, "telephony", "telephony.cdr"), "held"));
        Assert.Equal(callsDue - callsHeld, Count(Line(usEast, "telephony", "telephony.cdr"), "purged"));

        Assert.Equal(DemoCrmConnector.SeededPeople, Database.Scalar(Demo(factory, "recordings.db"), "SELECT COUNT(*) FROM recordings"));
        var recordings = Line(usWest, "recordings", "telephony.recording");
        Assert.Equal("held", recordings.GetProperty("state").GetString());
        Assert.Equal(recordingsDue, Count(recordings, "held"));
        Assert.Equal(0, Count(recordings, "purged"));

        Assert.Equal(3 * DemoCrmConnector.SeededPeople, Database.Scalar(billing, "SELECT COUNT(*) FROM invoices"));
        var invoices = Line(euWest, "billing", "billing.invoice");
        Assert.Equal(0, Count(invoices, "purged"));
        Assert.Equal(invoicesOlderThanAYear, Count(invoices, "retained"));
        Assert.True(invoicesOlderThanAYear > 0);
        Assert.Contains("UK tax law", invoices.GetProperty("note").GetString(), StringComparison.Ordinal);

        // Accounts closed in a month that has ended go (every tenth demo account is closed).
        Assert.True(closedAccounts > 0);
        Assert.Equal(DemoCrmConnector.SeededPeople - closedAccounts, Database.Scalar(billing, "SELECT COUNT(*) FROM accounts"));
        Assert.Equal(closedAccounts, Count(Line(euWest, "billing", "contact.email"), "purged"));
        Assert.Equal("not_supported", Line(euWest, "crm", "contact.email").GetProperty("state").GetString());
    }

    [Fact]
    public async Task DryRun_ReportsWhatWouldGoAndChangesNothing()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var telephony = Demo(factory, "telephony.db");
        var (calls, callsDue, _) = Due(telephony, "cdrs", "started_at", "caller_email", "2026-05-02", null);
        var (messages, messagesDue, _) = Due(telephony, "sms", "sent_at", "sender_email", "2026-05-02", null);

        var dry = await RunNowAsync(client, "us-east", dryRun: true);

        Assert.True(dry.GetProperty("dryRun").GetBoolean());
        Assert.StartsWith($"Would purge {Plural.Count(callsDue + messagesDue, "record")}", dry.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("This was a dry run: nothing was deleted.", dry.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal(calls, Database.Scalar(telephony, "SELECT COUNT(*) FROM cdrs"));
        Assert.Equal(messages, Database.Scalar(telephony, "SELECT COUNT(*) FROM sms"));
        Assert.Equal(callsDue, Count(Line(dry, "telephony", "telephony.cdr"), "purged"));
        Assert.Equal(messagesDue, Count(Line(dry, "telephony", "telephony.sms"), "purged"));

        var real = await RunNowAsync(client, "us-east", dryRun: false);

        Assert.Equal(Count(Line(dry, "telephony", "telephony.cdr"), "purged"), Count(Line(real, "telephony", "telephony.cdr"), "purged"));
        Assert.StartsWith($"Purged {Plural.Count(callsDue + messagesDue, "record")}", real.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal(Count(Line(dry, "telephony", "telephony.sms"), "purged"), Count(Line(real, "telephony", "telephony.sms"), "purged"));
        Assert.Equal(calls - callsDue, Database.Scalar(telephony, "SELECT COUNT(*) FROM cdrs"));
        Assert.Equal(messages - messagesDue, Database.Scalar(telephony, "SELECT COUNT(*) FROM sms"));
    }

    [Fact]
    public async Task FailingSource_IsReportedAndTheOthersGoOn()
    {
        var broken = new InMemoryDataSource("alpha", "Alpha") { BeforePurge = (_, _) => throw new InvalidOperationException("The disk is full.") };
        var working = new InMemoryDataSource("beta", "Beta");
        working.AddDated(new DateOnly(2025, 1, 1), 5);
        working.AddDated(new DateOnly(2026, 11, 1), 2);
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry(broken, working) };
        using var client = factory.CreateClient();
        await SavePolicyAsync(client, "eu-west", Rule("contact.email", "P6M"));

        var report = await RunNowAsync(client, "eu-west", dryRun: false);

        AssertFailingSourceReportedAndTheOtherPurged(report, working);
    }

    [Fact]
    public async Task Reports_AreListedReadableAndDownloadableAsCsv()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var (_, callsDue, _) = Due(Demo(factory, "telephony.db"), "cdrs", "started_at", "caller_email", "2026-05-02", null);
        var (_, messagesDue, _) = Due(Demo(factory, "telephony.db"), "sms", "sent_at", "sender_email", "2026-05-02", null);
        var report = await RunNowAsync(client, "us-east", dryRun: true);
        var id = report.GetProperty("id").GetString()!;

        var list = await GetAsync(client, "/api/admin/purges");
        var one = await GetAsync(client, $"/api/admin/purges/{id}");
        using var csvRequest = WorkflowEndToEndTests.Staff(HttpMethod.Get, $"/api/admin/purges/{id}.csv");
        using var csv = await client.SendAsync(csvRequest);
        using var formatRequest = WorkflowEndToEndTests.Staff(HttpMethod.Get, $"/api/admin/purges/{id}?format=csv");
        using var format = await client.SendAsync(formatRequest);
        using var anonymous = await client.GetAsync($"/api/admin/purges/{id}");

        Assert.Equal(id, Assert.Single(list.EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(callsDue + messagesDue, one.GetProperty("totals").GetProperty("purged").GetInt64());
        Assert.Contains(one.GetProperty("audit").GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetString() == "purge.finished");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var text = await csv.Content.ReadAsStringAsync();
        Assert.StartsWith("run,region,dry_run,source,category,kind,state,request,cutoff,scanned,would_purge,held,retained,errors,duration_ms,note\r\n", text, StringComparison.Ordinal);
        Assert.Contains($"{id},us-east,true,telephony,telephony.cdr,age,done,,2026-05-02,{callsDue},{callsDue},0,0,0,", text, StringComparison.Ordinal);
        Assert.Equal(text, await format.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Theory]
    [InlineData("""{"region":"mars-north","dryRun":true}""", "region")]
    [InlineData("""{"dryRun":true}""", "region")]
    [InlineData("""{"region":"eu-west","dryRun":"yes"}""", "dryRun")]
    [InlineData("""{"region":"eu-west","force":true}""", "force")]
    [InlineData("""{"region":""", "body")]
    public async Task RunNow_BadInput_Returns400NamingTheFieldAndRunsNothing(string body, string field)
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        using var request = WorkflowEndToEndTests.Staff(HttpMethod.Post, "/api/admin/purges");
        request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Empty(await factory.Stored.PurgeRunsAsync());
    }

    [Fact]
    public async Task RunNow_AskedTwiceWithinTheMinute_AnswersWithTheSameRun_AndItsStatusLinkReportsIt()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        var first = await StartNowAsync(client, "us-east", dryRun: false);
        factory.Clock.Advance(TimeSpan.FromSeconds(20));
        var second = await StartNowAsync(client, "us-east", dryRun: false);
        var dry = await StartNowAsync(client, "us-east", dryRun: true);
        var status = await FollowStatusAsync(client, first);

        Assert.Equal(first, second);
        Assert.NotEqual(first, dry);
        Assert.Equal("finished", status.GetProperty("state").GetString());
        var id = status.GetProperty("id").GetString()!;
        Assert.Equal($"/api/admin/purges/{id}/status", first);
        Assert.Equal($"/api/admin/purges/{id}", status.GetProperty("reportUrl").GetString());
        Assert.Equal("completed", status.GetProperty("report").GetProperty("status").GetString());
        Assert.Equal(2, (await factory.Stored.PurgeRunsAsync()).Count);
        using var unknown = WorkflowEndToEndTests.Staff(HttpMethod.Get, "/api/admin/purges/pr_us-east_unknown/status");
        using var unknownResponse = await client.SendAsync(unknown);
        Assert.Equal(HttpStatusCode.NotFound, unknownResponse.StatusCode);
    }

    [Fact]
    public async Task ReadOnlySource_IsNeverPurged()
    {
        var readOnly = new InMemoryDataSource("ledger", "Ledger", SourceAccess.Read);
        readOnly.AddDated(new DateOnly(2020, 1, 1), 3);
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry(readOnly) };
        using var client = factory.CreateClient();

        await RunNowAsync(client, "eu-west", dryRun: false);

        Assert.Equal(0, readOnly.PurgeCalls);
        Assert.Equal(3, readOnly.DatedRecords);
    }

    [Fact]
    public async Task ManualSource_IsAskedToPurgeByHand_AndTheReportNamesNobody()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        using (var request = WorkflowEndToEndTests.Staff(HttpMethod.Put, "/api/admin/sources/portal"))
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(new
            {
                displayName = "Recording provider portal", connectorType = "manual", access = "read-write", region = "us-east",
                connection = new Dictionary<string, string> { ["owner"] = "recordings.owner@example.com" },
                identityFields = new[] { "email" },
                categories = new[] { new { key = "telephony.third_party_recording", displayName = "Telephony third party recording", strategy = "delete" } },
            });
            using var registered = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        }

        var report = await RunNowAsync(client, "us-east", dryRun: false);

        var line = Line(report, "portal", "telephony.third_party_recording");
        Assert.Equal("task_sent", line.GetProperty("state").GetString());
        Assert.Contains("by hand", line.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Single(factory.Outbox, m => m.To == "recordings.owner@example.com");
        Assert.DoesNotContain("recordings.owner@example.com", report.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("completed", report.GetProperty("status").GetString());
    }

    /// <summary>
    /// A demo table's rows, those dated before <paramref name="cutoff"/> (past retention, what a purge takes),
    /// and of those the ones of <paramref name="held"/> (spared by a legal hold).
    /// </summary>
    private static (long Rows, long Due, long DueHeld) Due(string database, string table, string dateColumn, string emailColumn, string cutoff, string? held) => (
        Database.Scalar(database, $"SELECT COUNT(*) FROM {table}"),
        Database.Scalar(database, $"SELECT COUNT(*) FROM {table} WHERE {dateColumn} < $c", ("$c", cutoff)),
        held is null ? 0 : Database.Scalar(database, $"SELECT COUNT(*) FROM {table} WHERE {dateColumn} < $c AND {emailColumn} = $e", ("$c", cutoff), ("$e", held)));
}
