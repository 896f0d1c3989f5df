using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Azure.Data.Tables;
using DataRights.Testing;
using DataRights.Testing.Http;
using Xunit.Abstractions;

namespace DataRights.Integration.Tests.Workflow;

/// <summary>
/// The real host process stopped as an operator or a deployment stops it (SIGTERM), while steps are running against a
/// slow source, then started again on the same data: the steps in hand finish and are recorded before it exits, so the
/// restart goes on without sending them to the source again. Cut off at the stop (as before the host drained its task
/// hub), a search was never answered, and ran again once its message came back after the visibility timeout. How soon
/// the restart goes on is a figure of the <c>recovery --stop term</c> benchmark, not asserted here.
/// </summary>
public sealed class GracefulStopTests(ITestOutputHelper output)
{
    private const string SlowSource = "slow";
    private const string SecretVariable = "DATARIGHTS_SOURCE_GRACEFUL_SLOW_SECRET";
    private const int Requests = 3;

    [Fact]
    public async Task Host_StoppedWhileStepsRun_FinishesAndRecordsThemBeforeExiting_AndTheRestartGoesOnWithoutRunningThemAgain()
    {
        await using var azurite = await Testing.Azurite.AzuriteServer.StartAsync();
        await using var slow = await SlowSourceSystem.StartAsync(TimeSpan.FromSeconds(3));
        const string Prefix = "graceful";
        var environment = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["DataRights__Storage__TablePrefix"] = Prefix,
            ["DataRights__Workflow__AutoApprove"] = "true",
            [SecretVariable] = "graceful-stop-slow-source-shared-secret-0123456789",
        };
        var requestsTable = new TableServiceClient(azurite.ConnectionString).GetTableClient(Prefix + "Requests");
        var data = Directory.CreateTempSubdirectory("datarights-graceful-").FullName;
        var port = CrashRecoveryTests.FreePort();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-DataRights-Dev-User", "Graceful Test");
        Process? host = await CrashRecoveryTests.StartAsync(data, port, environment);
        try
        {
            using (var registered = await client.PutAsJsonAsync($"/api/admin/sources/{SlowSource}", slow.Registration(SecretVariable)))
            {
                Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
            }

            var ids = new List<string>();
            for (var n = 1; n <= Requests; n++)
            {
                using var submitted = await client.PostAsJsonAsync("/api/requests", new { type = "erasure", email = $"graceful-{n}@example.com", fullName = "Graceful Person", jurisdiction = "UK" });
                Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
                ids.Add(await CrashRecoveryTests.IdFromMailAsync(data, $"graceful-{n}@example.com"));
            }

            foreach (var id in ids)
            {
                using var verified = await client.PostAsJsonAsync($"/api/admin/requests/{id}/verify", new { });
                Assert.True(verified.IsSuccessStatusCode, await verified.Content.ReadAsStringAsync());
            }

            // Stop while every request's search of the slow source is open.
            await UntilAsync(() => Task.FromResult(ids.All(id => Calls(slow, id, "discover") == 1)), TimeSpan.FromSeconds(60), "every search to reach the slow source");
            // The calls open at the stop (a request searched first may already be on to its erasure, approved automatically).
            var open = slow.Calls.Where(c => c.AnsweredAt is null).ToList();
            Assert.NotEmpty(open);
            var stopping = Stopwatch.StartNew();
            var exitCode = await HostProcessStart.TerminateAsync(host, TimeSpan.FromSeconds(60));
            output.WriteLine($"stopped in {stopping.Elapsed.TotalSeconds:0.0} s, exit code {exitCode}");
            host.Dispose();
            host = null;
            Assert.Equal(0, exitCode);

            // Before it exited, each call it had in hand was answered, and each request's search recorded.
            Assert.All(open, c => Assert.NotNull(c.AnsweredAt));
            foreach (var id in ids)
            {
                Assert.Contains(await AuditAsync(requestsTable, id), e => e.Action == "source.discovered" && e.Details.Contains($"\"{SlowSource}\"", StringComparison.Ordinal));
            }

            // Started again: each request goes on to its erasure, and no search ran twice.
            var restarted = Stopwatch.StartNew();
            host = await CrashRecoveryTests.StartAsync(data, port, environment);
            await UntilAsync(() => Task.FromResult(ids.All(id => Calls(slow, id, "erase") == 1)), TimeSpan.FromSeconds(120), "every request's erasure to reach the slow source after the restart");
            output.WriteLine($"every erasure reached the source {restarted.Elapsed.TotalSeconds:0.0} s after the restart");
            Assert.All(ids, id => Assert.Equal(1, SearchesBeforeErasure(slow, id)));
        }
        finally
        {
            if (host is not null)
            {
                host.Kill(entireProcessTree: true);
                await host.WaitForExitAsync();
                host.Dispose();
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    // The connector searches again after an erasure, to check it: only a search before the erasure is the step's.
    private static int SearchesBeforeErasure(SlowSourceSystem slow, string requestId)
    {
        var erased = slow.Calls.Where(c => c.RequestId == requestId && c.Operation == "erase").Min(c => c.ReceivedAt);
        return slow.Calls.Count(c => c.RequestId == requestId && c.Operation == "discover" && c.ReceivedAt < erased);
    }

    private static int Calls(SlowSourceSystem slow, string requestId, string operation) =>
        slow.Calls.Count(c => c.RequestId == requestId && c.Operation == operation);

    private static async Task<List<(string Action, string Details)>> AuditAsync(TableClient requests, string requestId) =>
        [.. (await CrashRecoveryTests.RowsAsync(requests, TableClient.CreateQueryFilter($"PartitionKey eq {requestId} and RowKey ge 'audit_' and RowKey lt 'audit`'")))
            .Select(row => (row.GetString("Action"), row.GetString("Details") ?? string.Empty))];

    private static async Task UntilAsync(Func<Task<bool>> done, TimeSpan limit, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!await done())
        {
            if (waited.Elapsed > limit)
            {
                throw new TimeoutException($"Waited {limit.TotalSeconds:0} s for {what}.");
            }

            await Task.Delay(50);
        }
    }
}
