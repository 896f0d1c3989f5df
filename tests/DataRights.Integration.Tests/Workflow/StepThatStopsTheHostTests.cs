using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DataRights.Host.Durable;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Connectors.Postgres;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;
using Xunit.Abstractions;

namespace DataRights.Integration.Tests.Workflow;

/// <summary>
/// The real host process, killed with SIGKILL each time one step is in progress (a PostgreSQL source whose search takes
/// 20 s), as a step that kills its process would: after the third such stop the restarted host no longer runs the step
/// but records the source's failure, and the request goes on (<see cref="StepCrashGuardService"/>). The test sees the
/// step in progress by its note in the data folder, and kills the host then.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StepThatStopsTheHostTests(PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task ASearchInProgressAtThreeKillsInARow_IsNotRunAgain_TheSourceIsRecordedAsFailed_AndTheRequestGoesOn()
    {
        await using var azurite = await Testing.Azurite.AzuriteServer.StartAsync();
        await using var slow = await PostgresDemo.CreateAsync(postgres.Server);
        var registration = slow.Registration with
        {
            Key = "slow-pg",
            DisplayName = "Slow billing",
            Categories =
            [
                .. slow.Registration.Categories.Select((c, i) => i > 0 ? c : c with
                {
                    // The search of this category takes 20 s: long enough to be killed in.
                    Queries = new Dictionary<string, string>(c.Queries) { ["discover"] = "SELECT a.id AS record_key FROM accounts a, pg_sleep(20) WHERE a.email = $email" },
                }),
            ],
        };
        var environment = new Dictionary<string, string>
        {
            ["DataRights__Durable__VisibilityTimeout"] = "00:00:10",
            ["DataRights__Durable__StopsBeforeGivingUp"] = "3",
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["DataRights__Storage__TablePrefix"] = "stops",
            [PostgresDemo.PasswordVariable] = postgres.Server.Password,
        };
        var data = Directory.CreateTempSubdirectory("datarights-stops-").FullName;
        var notes = Path.Combine(data, "task-hub", "datarights", "steps-in-progress");
        var port = CrashRecoveryTests.FreePort();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        var host = await CrashRecoveryTests.StartAsync(data, port, environment);
        try
        {
            using (var put = WorkflowEndToEndTests.Staff(HttpMethod.Put, "/api/admin/sources/slow-pg"))
            {
                put.Content = JsonContent.Create(registration);
                using var registered = await client.SendAsync(put);
                Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
            }

            var (name, email, _) = DemoCrmConnector.Person(1);
            using (var submitted = await client.PostAsJsonAsync("/api/requests", new { type = "access", email, fullName = name, jurisdiction = "UK" }))
            {
                Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
            }

            var id = await CrashRecoveryTests.IdFromMailAsync(data, email);
            await ConfirmAsync(client, data, id);

            // Three runs of the host take the slow search and are killed while it runs.
            var seen = new List<string>();
            for (var kill = 1; kill <= 3; kill++)
            {
                seen.Add(await StepInProgressAsync(notes, run: kill));
                await CrashRecoveryTests.KillAsync(host);
                output.WriteLine($"kill {kill} with {seen[^1]} in progress");
                host = await CrashRecoveryTests.StartAsync(data, port, environment);
            }

            // The same step each time (one note: the orchestration, the activity and its input).
            Assert.Single(seen.Distinct(StringComparer.Ordinal));

            // The fourth run fails it without running it: the source's failure is recorded, and the request goes on to
            // its approval with the other sources' answers.
            var request = await WaitForStatusAsync(client, id, "awaiting_approval", TimeSpan.FromSeconds(90));
            var slowPg = request.GetProperty("progress").GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("key").GetString() == "slow-pg");
            output.WriteLine(slowPg.GetRawText());
            Assert.Equal("failed", slowPg.GetProperty("discovery").GetString());
            Assert.Equal(RunSourceStepActivity.StoppedTheProgramError, slowPg.GetProperty("discoveryError").GetString());
            Assert.All(
                request.GetProperty("progress").GetProperty("sources").EnumerateArray().Where(s => s.GetProperty("key").GetString() != "slow-pg"),
                s => Assert.Equal("succeeded", s.GetProperty("discovery").GetString()));
            Assert.False(File.Exists(Path.Combine(notes, seen[0])), "the given-up search's note is still there");
        }
        finally
        {
            await CrashRecoveryTests.KillAndRemoveAsync(host, data);
        }
    }

    /// <summary>The person's click on the link in their verification email.</summary>
    private static async Task ConfirmAsync(HttpClient client, string data, string id)
    {
        var mail = MailOutbox.Read(data).First(m => m.FileName.StartsWith(id, StringComparison.Ordinal) && m.FileName.Contains("_verification_", StringComparison.Ordinal));
        var path = mail.PathOfLink("/verify/");
        var page = await client.GetStringAsync(path);
        using var post = await client.PostAsync(path, new FormUrlEncodedContent([new("__csrf", Forms.CsrfToken(page))]));
        Assert.True(post.IsSuccessStatusCode || post.StatusCode == HttpStatusCode.Redirect || post.StatusCode == HttpStatusCode.SeeOther, post.StatusCode.ToString());
    }

    /// <summary>
    /// The note of a step taken by the <paramref name="run"/>th run of the host (the note names each run that took the
    /// step, a line each) and still in progress a second later: the slow search, as every other step takes milliseconds.
    /// </summary>
    private static async Task<string> StepInProgressAsync(string notes, int run)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(90))
        {
            var taken = (Directory.Exists(notes) ? Directory.GetFiles(notes) : []).Where(n => Runs(n) >= run).ToList();
            await Task.Delay(TimeSpan.FromSeconds(1));
            if (taken.FirstOrDefault(n => Runs(n) >= run) is { } note)
            {
                return Path.GetFileName(note);
            }
        }

        throw new TimeoutException($"No step was taken by run {run} of the host and in progress a second later within 90 s.");
    }

    private static int Runs(string note)
    {
        try
        {
            return File.ReadAllLines(note).Count(l => l.Length > 0);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static async Task<JsonElement> WaitForStatusAsync(HttpClient client, string id, string status, TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        JsonElement last = default;
        while (waited.Elapsed < limit)
        {
            try
            {
                using var request = WorkflowEndToEndTests.Staff(HttpMethod.Get, $"/api/admin/requests/{id}");
                using var response = await client.SendAsync(request);
                last = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (last.GetProperty("status").GetString() == status)
                {
                    return last;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
            {
                // Starting: asked again.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Request {id} did not reach {status} within {limit.TotalSeconds:0} s; last seen: {(last.ValueKind == JsonValueKind.Undefined ? "nothing" : last.GetRawText())}");
    }
}
