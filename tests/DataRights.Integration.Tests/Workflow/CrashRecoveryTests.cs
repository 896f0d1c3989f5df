using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Azure.Data.Tables;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;
using Xunit.Abstractions;

namespace DataRights.Integration.Tests.Workflow;

/// <summary>
/// The real host process, killed with SIGKILL at random moments while requests are in flight and
/// started again on the same data folder, until every request has reached its final state. Then:
/// nothing lost, no effect twice, every audit chain intact, the demo CRM rows really gone. The request orchestrations
/// run on the local task hub; the task hub and the records are on Azurite, which keeps running (only the host dies).
/// </summary>
public sealed partial class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int Requests = 30;

    [Fact]
    public async Task Host_KilledRepeatedlyMidFlight_FinishesEveryRequestExactlyOnce()
    {
        // Azurite keeps running through every kill: the pipeline's records and the task hub are there.
        await using var azurite = await Testing.Azurite.AzuriteServer.StartAsync();
        var records = new TableServiceClient(azurite.ConnectionString);
        const string Prefix = "crash";
        var environment = new Dictionary<string, string>
        {
            ["DataRights__Durable__VisibilityTimeout"] = "00:00:10",
            ["DataRights__Durable__NotNowRetry"] = "00:00:02",
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["DataRights__Storage__TablePrefix"] = Prefix,
        };
        var requestsTable = records.GetTableClient(Prefix + "Requests");
        const int MaxKills = 6;
        var data = Directory.CreateTempSubdirectory("datarights-crash-").FullName;
        var port = FreePort();
        var random = new Random(20261121);
        var kills = 0;
        using var cookies = new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true, AllowAutoRedirect = false };
        using var client = new HttpClient(cookies) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        client.DefaultRequestHeaders.Add("X-DataRights-Dev-User", "Crash Test");
        var ids = new List<string>();
        var host = await StartAsync(data, port, environment);
        try
        {
            for (var n = 1; n <= Requests; n++)
            {
                var (name, email, _) = DemoCrmConnector.Person(n);
                using var response = await client.PostAsJsonAsync("/api/requests", new { type = "erasure", email, fullName = name, jurisdiction = "UK" });
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                ids.Add(await IdFromMailAsync(data, email));
            }

            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(300))
            {
                // Act like the people involved: click verification links, approve what waits.
                var statuses = await DriveAsync(client, data, ids);
                if (statuses.Count == ids.Count && statuses.Values.All(s => s == "completed"))
                {
                    break;
                }

                // Kill soon after the driver's clicks, while the work they caused is in flight.
                await Task.Delay(random.Next(0, 150));
                if (kills < MaxKills)
                {
                    await KillAsync(host);
                    kills++;
                    host = await StartAsync(data, port, environment);
                }
            }

            // "Completed" commits together with the work it owes (the completion email, the Art. 19 notices), which the
            // orchestrations carry out after: wait until no request owes any.
            var owing = await OwingAsync(client, ids);
            for (var i = 0; i < 1800 && owing.Count > 0; i++)
            {
                await Task.Delay(100);
                owing = await OwingAsync(client, ids);
            }

            output.WriteLine("requests still owing work: " + (owing.Count == 0 ? "none" : string.Join("; ", owing)));

            var final = await DriveAsync(client, data, ids);
            output.WriteLine($"{kills} kills; statuses: {string.Join(", ", final.Values)}");
            Assert.True(kills >= 3, $"only {kills} kills happened");
            Assert.All(ids, id => Assert.Equal("completed", final.GetValueOrDefault(id)));

            foreach (var id in ids)
            {
                // One execution per demo source (CRM and billing), never two.
                var trail = await RowsAsync(requestsTable, TableClient.CreateQueryFilter($"PartitionKey eq {id} and RowKey ge 'audit_' and RowKey lt 'audit`'"));
                Assert.Equal(DemoSources.Registrations.Count, trail.Count(e => e.GetString("Action") == "source.executed"));
                Assert.Equal(1, trail.Count(e => e.GetString("Action") == "request.completed"));
                Assert.Equal(1, trail.Count(e => e.GetString("Action") == "identity.verified"));
                using var audit = await client.GetAsync($"/api/admin/requests/{id}/audit");
                Assert.True((await audit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("chainValid").GetBoolean());
            }

            var mail = MailOutbox.Read(data);
            output.WriteLine("mail by recipient: " + string.Join(", ", mail.GroupBy(m => m.To).Select(g => $"{g.Key}={g.Count()}")));
            output.WriteLine("requests whose mail is short: " + string.Join(", ", ids.Where(id => mail.Count(m => m.FileName.StartsWith(id, StringComparison.Ordinal)) != 6)
                .Select(id => id + ":" + string.Join("|", mail.Where(m => m.FileName.StartsWith(id, StringComparison.Ordinal)).Select(m => m.FileName)))));
            // Per request: verification, approval, completion, the two recipients' Art. 19 notices, and staff's list of the one to tell by hand.
            Assert.Equal(Requests * 6, mail.Count);
            Assert.Equal(Requests, mail.Count(m => m.Subject.Contains("is complete", StringComparison.Ordinal)));

            // A step retried after a kill finds its work done; the person is still told what was erased.
            Assert.DoesNotContain(mail, m => m.Subject.Contains("is complete", StringComparison.Ordinal) && m.Text.Contains("no change was needed", StringComparison.Ordinal));
            Assert.Equal(Requests, mail.Count(m => m.To == "privacy@crm-host.example"));
            Assert.Equal(Requests, mail.Count(m => m.To == "dpo@payments.example"));
            var alerted = await ProgressListsAsync(client, ids, "alerts");
            output.WriteLine("given-up work: " + (alerted.Count == 0 ? "none" : string.Join("; ", alerted)));
            Assert.Empty(alerted);
            Assert.Empty(owing);
            var crm = Path.Combine(data, "sources", "crm.db");
            Assert.Equal(DemoCrmConnector.SeededPeople - Requests, Database.Scalar(crm, "SELECT COUNT(*) FROM contacts"));
        }
        finally
        {
            await KillAndRemoveAsync(host, data);
        }
    }

    /// <summary>SIGKILL to the host process (and its children), once it has gone.</summary>
    internal static async Task KillAsync(Process host)
    {
        host.Kill(entireProcessTree: true);
        await host.WaitForExitAsync();
        host.Dispose();
    }

    /// <summary>The host killed and its data folder removed, at a test's end.</summary>
    internal static async Task KillAndRemoveAsync(Process host, string data)
    {
        await KillAsync(host);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(data, recursive: true);
    }

    /// <summary>The requests among <paramref name="ids"/> that still owe work (or could not be read).</summary>
    private static Task<List<string>> OwingAsync(HttpClient client, List<string> ids) => ProgressListsAsync(client, ids, "owed");

    /// <summary>The requests among <paramref name="ids"/> whose progress lists something under <paramref name="list"/> (or that could not be read), each with what it lists.</summary>
    private static async Task<List<string>> ProgressListsAsync(HttpClient client, List<string> ids, string list)
    {
        var found = new List<string>();
        foreach (var id in ids)
        {
            try
            {
                using var response = await client.GetAsync($"/api/admin/requests/{id}");
                var progress = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("progress");
                if (progress.TryGetProperty(list, out var listed) && listed.GetArrayLength() > 0)
                {
                    found.Add(id + ": " + listed.GetRawText());
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
            {
                found.Add(id + ": not read (" + ex.GetType().Name + ")");
            }
        }

        return found;
    }

    internal static async Task<List<TableEntity>> RowsAsync(TableClient table, string filter)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>
    /// The id of the request whose verification email went to <paramref name="email"/>: a public submission is answered
    /// alike whatever became of it, and the email (its file named after the request) is where its id shows.
    /// </summary>
    internal static async Task<string> IdFromMailAsync(string data, string email)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (MailOutbox.Read(data).FirstOrDefault(m => m.To == email && m.FileName.Contains("_verification_", StringComparison.Ordinal)) is { } mail)
            {
                return System.Text.RegularExpressions.Regex.Match(mail.FileName, "^dr_[0-9a-f]{24}").Value;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), $"no verification email reached {email} within 60 s");
            await Task.Delay(100);
        }
    }

    private static async Task<Dictionary<string, string>> DriveAsync(HttpClient client, string data, List<string> ids)
    {
        var statuses = new Dictionary<string, string>();
        var clicks = 0;
        foreach (var id in ids)
        {
            try
            {
                using var response = await client.GetAsync($"/api/admin/requests/{id}");
                var status = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString()!;
                statuses[id] = status;
                if (clicks >= 6)
                {
                    // A few people act per round, so every kill lands with work in flight.
                    continue;
                }

                if (status == "awaiting_verification"
                    && MailOutbox.Read(data).FirstOrDefault(m => m.FileName.StartsWith(id, StringComparison.Ordinal) && m.FileName.Contains("_verification_", StringComparison.Ordinal)) is { } mail)
                {
                    var path = mail.PathOfLink("/verify/");
                    var page = await client.GetStringAsync(path);
                    var token = Forms.CsrfToken(page);
                    using var post = await client.PostAsync(path, new FormUrlEncodedContent([new("__csrf", token)]));
                    clicks++;
                }
                else if (status == "awaiting_approval")
                {
                    using var approve = await client.PostAsJsonAsync($"/api/admin/requests/{id}/approve", new { note = "crash test" });
                    clicks++;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or IOException)
            {
                // The host is down or restarting: try again on the next round.
            }
        }

        return statuses;
    }

    internal static async Task<Process> StartAsync(string data, int port, Dictionary<string, string> environment)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["DataRights__Intake__PerClientPermitLimit"] = "1000",
            ["DataRights__Workflow__LeaseDuration"] = "00:00:05",
            ["DataRights__Workflow__RetryBaseDelay"] = "00:00:00.200",
            // Each kill can cost a step in flight one attempt, and so can a step lease that ran out on a loaded machine:
            // with the default of 6 attempts a step in flight through every kill is given up by design. Giving up is
            // tested on its own; here the budget is above the kills so that only exactly-once is under test.
            ["DataRights__Workflow__MaxAttempts"] = "20",

            // Likewise a step in progress at three kills in a row would be given up as one that stops the program
            // (StepCrashGuardService, tested on its own): here the budget is above the kills.
            ["DataRights__Durable__StopsBeforeGivingUp"] = "10",
        };
        foreach (var (key, value) in environment)
        {
            settings[key] = value;
        }

        var process = HostProcessStart.Start(data, port, settings);

        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var health = await probe.GetAsync($"http://127.0.0.1:{port}/healthz");
                if (health.IsSuccessStatusCode)
                {
                    return process;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(100);
            }
        }

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException("The host did not start within 20 seconds.");
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

}
