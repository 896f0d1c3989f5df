using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DataRights.Core.Ports;
using DataRights.Core.Sources;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Integration.Tests.Workflow;
using DataRights.Testing;

namespace DataRights.Integration.Tests.Retention;

/// <summary>What the purge tests share: the staff API calls, the demo databases, a report's lines.</summary>
internal static class PurgeKit
{
    public static string Demo(DataRightsFactory factory, string file) => Path.Combine(factory.DataDirectory, "sources", file);

    /// <summary>Staff "run now": the 202 Accepted answer's status link followed until the run has finished; its report.</summary>
    public static async Task<JsonElement> RunNowAsync(HttpClient client, string region, bool dryRun)
    {
        var status = await FollowStatusAsync(client, await StartNowAsync(client, region, dryRun));
        Assert.Equal("finished", status.GetProperty("state").GetString());
        return status.GetProperty("report");
    }

    /// <summary>Staff "run now", not followed: the status link the 202 Accepted answer gives (its Location).</summary>
    public static async Task<string> StartNowAsync(HttpClient client, string region, bool dryRun)
    {
        using var response = await WorkflowEndToEndTests.StaffPostAsync(client, "/api/admin/purges", new { region, dryRun });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = response.Headers.Location?.OriginalString;
        Assert.NotNull(location);
        Assert.Equal(location, (await response.JsonAsync()).GetProperty("statusUrl").GetString());
        return location;
    }

    /// <summary>A run's status link, asked again while it says running (an orchestrated run on the real clock); its last answer.</summary>
    public static async Task<JsonElement> FollowStatusAsync(HttpClient client, string statusUrl)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (true)
        {
            var status = await GetAsync(client, statusUrl);
            if (status.GetProperty("state").GetString() != "running")
            {
                return status;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), patience.Token);
        }
    }

    public static async Task<HttpResponseMessage> PutPolicyAsync(HttpClient client, string region, object body)
    {
        using var request = WorkflowEndToEndTests.Staff(HttpMethod.Put, $"/api/admin/retention/{region}");
        request.Content = JsonContent.Create(body);
        return await client.SendAsync(request);
    }

    public static async Task SavePolicyAsync(HttpClient client, string region, params object[] rules)
    {
        using var response = await PutPolicyAsync(client, region, new { rules });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>
    /// A demo person on hold, the recordings source on hold, and the eu-west policy taking invoices after one year while
    /// billing registers them as retained for seven (tax law); returns the held person's email.
    /// </summary>
    public static async Task<string> HoldsAndARetainedCategoryAsync(HttpClient client)
    {
        var (_, held, _) = DemoCrmConnector.Person(11); // seeded 12 to 14 months back: past every short retention, so the hold spares something
        using (var hold = await WorkflowEndToEndTests.StaffPostAsync(client, "/api/admin/holds", new { scope = "person", email = held, reason = "Employment tribunal claim 2026/114, keep everything" }))
        {
            Assert.Equal(HttpStatusCode.Created, hold.StatusCode);
        }

        using (var hold = await WorkflowEndToEndTests.StaffPostAsync(client, "/api/admin/holds", new { scope = "source", sourceKey = "recordings", reason = "Regulator inquiry into call handling, keep all" }))
        {
            Assert.Equal(HttpStatusCode.Created, hold.StatusCode);
        }

        await SavePolicyAsync(client, "eu-west", Rule("billing.invoice", "P1Y"), Rule("contact.email", "P0D", "end_of_calendar_month_after_closure"));
        return held;
    }

    public static object Rule(string category, string maxAge, string countsFrom = "created") =>
        new { category, maxAge, countsFrom, basis = "Test rule: kept this long for the test's sake" };

    public static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        using var request = WorkflowEndToEndTests.Staff(HttpMethod.Get, path);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    /// <summary>The report line of one source and category (age purge).</summary>
    public static JsonElement Line(JsonElement report, string source, string category, string kind = "age") =>
        Assert.Single(report.GetProperty("rows").EnumerateArray(), r =>
            r.GetProperty("source").GetString() == source && r.GetProperty("category").GetString() == category && r.GetProperty("kind").GetString() == kind);

    public static long Count(JsonElement line, string field) => line.GetProperty(field).GetInt64();

    /// <summary>
    /// A run where source "alpha" failed with a full disk and "beta" purged its 5 old records and kept its 2 recent ones:
    /// the failure is reported on its own line and the run still completes.
    /// </summary>
    public static void AssertFailingSourceReportedAndTheOtherPurged(JsonElement report, InMemoryDataSource working)
    {
        var failed = Line(report, "alpha", "contact.email");
        Assert.Equal("failed", failed.GetProperty("state").GetString());
        Assert.Equal(1, Count(failed, "errors"));
        Assert.Contains("The disk is full.", failed.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Equal(5, Count(Line(report, "beta", "contact.email"), "purged"));
        Assert.Equal(2, working.DatedRecords);
        Assert.Equal("completed", report.GetProperty("status").GetString());
    }

    /// <summary>Erasure of a demo person from intake to completion, with staff verifying and approving.</summary>
    public static async Task<string> EraseAsync(DataRightsFactory factory, HttpClient client, string name, string email)
    {
        string id;
        using (var submitted = await client.PostJsonAsync(new { type = "erasure", email, fullName = name, jurisdiction = "UK" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
            id = await factory.Services.WaitingIdAsync(email);
        }

        await factory.DrainAsync();
        using (var verified = await WorkflowEndToEndTests.StaffPostAsync(client, $"/api/admin/requests/{id}/verify", new { note = "Checked by phone" }))
        {
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        }

        await factory.DrainAsync();
        using (var approved = await WorkflowEndToEndTests.StaffPostAsync(client, $"/api/admin/requests/{id}/approve", new { note = "Go ahead" }))
        {
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        }

        await factory.DrainAsync();
        Assert.Equal("completed", await WorkflowEndToEndTests.StatusAsync(client, id));
        return id;
    }

    /// <summary>A registry of any connectors, each with its own descriptor (region included).</summary>
    public sealed class Registry(params (DataSourceDescriptor Descriptor, IDataSourceConnector Connector)[] sources) : IDataSourceRegistry
    {
        public IReadOnlyList<DataSourceDescriptor> ActiveSources() => [.. sources.Select(s => s.Descriptor)];

        public IDataSourceConnector? Connector(string sourceKey) => sources.FirstOrDefault(s => s.Descriptor.Key == sourceKey).Connector;
    }

    /// <summary>Job runs kept in memory, recording every occurrence a scheduler ran.</summary>
    public sealed class RecordingJobRuns : IJobRunStore
    {
        private readonly Dictionary<string, DateTimeOffset> _last = [];

        public List<(string Job, DateTimeOffset ScheduledFor)> Ran { get; } = [];

        public void Seed(string job, DateTimeOffset last) => _last[job] = last;

        public Task<DateTimeOffset?> LastRunAsync(string job, CancellationToken cancellationToken) =>
            Task.FromResult(_last.TryGetValue(job, out var last) ? last : (DateTimeOffset?)null);

        public Task RecordAsync(string job, DateTimeOffset scheduledFor, DateTimeOffset finishedAt, CancellationToken cancellationToken)
        {
            if (_last.ContainsKey(job))
            {
                Ran.Add((job, scheduledFor));
            }

            _last[job] = scheduledFor;
            return Task.CompletedTask;
        }
    }
}
