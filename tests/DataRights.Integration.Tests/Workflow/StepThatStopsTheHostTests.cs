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
/// but records the source's failure, and the request goes on (<see cref="StepCrashGuardService"/>). Stopped in order
/// instead (SIGTERM), the same stops are not counted against the step. The tests see the step in progress by its note
/// in the data folder, and stop the host then.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StepThatStopsTheHostTests(PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task ASearchInProgressAtThreeKillsInARow_IsNotRunAgain_TheSourceIsRecordedAsFailed_AndTheRequestGoesOn()
    {
        await using var run = await SlowSearchRun.StartAsync(postgres, searchSeconds: 20);
        try
        {
            // Three runs of the host take the slow search and are killed while it runs.
            var seen = new List<string>();
            for (var kill = 1; kill <= 3; kill++)
            {
                seen.Add(await StepInProgressAsync(run.Notes, run: kill));
                await CrashRecoveryTests.KillAsync(run.Host);
                output.WriteLine($"kill {kill} with {seen[^1]} in progress");
                await run.RestartAsync();
            }

            // The same step each time (one note: the orchestration, the activity and its input).
            Assert.Single(seen.Distinct(StringComparer.Ordinal));

            // The fourth run fails it without running it: the source's failure is recorded, and the request goes on to
            // its approval with the other sources' answers.
            var slowPg = await SlowSourceOnceApprovalIsAskedAsync(run);
            Assert.Equal("failed", slowPg.GetProperty("discovery").GetString());
            Assert.Equal(RunSourceStepActivity.StoppedTheProgramError, slowPg.GetProperty("discoveryError").GetString());
            Assert.False(File.Exists(Path.Combine(run.Notes, seen[0])), "the given-up search's note is still there");
        }
        finally
        {
            await CrashRecoveryTests.KillAndRemoveAsync(run.Host, run.Data);
        }
    }

    [Fact]
    public async Task ASearchCutOffByThreeStopsInOrder_IsNotGivenUp_ButRunsToItsEnd()
    {
        // Stopped in order (SIGTERM, as an operator or a deployment stops it) with a drain too short for the search: each
        // stop cuts the search off, and is not counted against it.
        await using var run = await SlowSearchRun.StartAsync(postgres, searchSeconds: 8, ("DataRights__Durable__DrainTimeout", "00:00:01"));
        try
        {
            for (var stop = 1; stop <= 3; stop++)
            {
                var note = await StepInProgressAsync(run.Notes, run: 1);
                Assert.Equal(0, await HostProcessStart.TerminateAsync(run.Host, TimeSpan.FromSeconds(60)));
                output.WriteLine($"stop {stop} with {note} in progress");
                Assert.False(File.Exists(Path.Combine(run.Notes, note)), "a stop in order was counted against the step in progress");
                await run.RestartAsync();
            }

            // The fourth run runs it: the source's answer is recorded beside the others'.
            var slowPg = await SlowSourceOnceApprovalIsAskedAsync(run);
            Assert.Equal("succeeded", slowPg.GetProperty("discovery").GetString());
        }
        finally
        {
            await CrashRecoveryTests.KillAndRemoveAsync(run.Host, run.Data);
        }
    }

    /// <summary>The slow source's progress once the request reaches its approval; every other source has answered.</summary>
    private async Task<JsonElement> SlowSourceOnceApprovalIsAskedAsync(SlowSearchRun run)
    {
        var request = await WaitForStatusAsync(run.Client, run.RequestId, "awaiting_approval", TimeSpan.FromSeconds(90));
        var sources = request.GetProperty("progress").GetProperty("sources").EnumerateArray().ToList();
        var slowPg = sources.Single(s => s.GetProperty("key").GetString() == SlowSearchRun.Source);
        output.WriteLine(slowPg.GetRawText());
        Assert.All(sources.Where(s => s.GetProperty("key").GetString() != SlowSearchRun.Source), s => Assert.Equal("succeeded", s.GetProperty("discovery").GetString()));
        return slowPg;
    }

    /// <summary>
    /// The host started on Azurite with a PostgreSQL source whose search takes <c>searchSeconds</c>, and one request for
    /// access confirmed by the person, so that its searches run.
    /// </summary>
    private sealed class SlowSearchRun : IAsyncDisposable
    {
        public const string Source = "slow-pg";

        private readonly Testing.Azurite.AzuriteServer _azurite;
        private readonly PostgresDemoSource _slow;
        private readonly Dictionary<string, string> _environment;
        private readonly int _port;

        private SlowSearchRun(Testing.Azurite.AzuriteServer azurite, PostgresDemoSource slow, Dictionary<string, string> environment, string data, int port, Process host)
        {
            _azurite = azurite;
            _slow = slow;
            _environment = environment;
            _port = port;
            Data = data;
            Host = host;
            Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        }

        public string Data { get; }

        public string Notes => Path.Combine(Data, "task-hub", "datarights", "steps-in-progress");

        public Process Host { get; private set; }

        public HttpClient Client { get; }

        public string RequestId { get; private set; } = string.Empty;

        public static async Task<SlowSearchRun> StartAsync(PostgresFixture postgres, int searchSeconds, params (string Name, string Value)[] settings)
        {
            var azurite = await Testing.Azurite.AzuriteServer.StartAsync();
            var slow = await PostgresDemo.CreateAsync(postgres.Server);
            var registration = slow.Registration with
            {
                Key = Source,
                DisplayName = "Slow billing",
                Categories =
                [
                    .. slow.Registration.Categories.Select((c, i) => i > 0 ? c : c with
                    {
                        // The search of this category takes long enough to stop the host in.
                        Queries = new Dictionary<string, string>(c.Queries) { ["discover"] = $"SELECT a.id AS record_key FROM accounts a, pg_sleep({searchSeconds}) WHERE a.email = $email" },
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
            foreach (var (setting, value) in settings)
            {
                environment[setting] = value;
            }

            var data = Directory.CreateTempSubdirectory("datarights-stops-").FullName;
            var port = CrashRecoveryTests.FreePort();
            var run = new SlowSearchRun(azurite, slow, environment, data, port, await CrashRecoveryTests.StartAsync(data, port, environment));
            using (var put = WorkflowEndToEndTests.Staff(HttpMethod.Put, "/api/admin/sources/" + Source))
            {
                put.Content = JsonContent.Create(registration);
                using var registered = await run.Client.SendAsync(put);
                Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
            }

            var (name, email, _) = DemoCrmConnector.Person(1);
            using (var submitted = await run.Client.PostAsJsonAsync("/api/requests", new { type = "access", email, fullName = name, jurisdiction = "UK" }))
            {
                Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
            }

            run.RequestId = await CrashRecoveryTests.IdFromMailAsync(data, email);
            await ConfirmAsync(run.Client, data, run.RequestId);
            return run;
        }

        /// <summary>Starts the host again on the same data and storage.</summary>
        public async Task RestartAsync() => Host = await CrashRecoveryTests.StartAsync(Data, _port, _environment);

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await _slow.DisposeAsync();
            await _azurite.DisposeAsync();
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
