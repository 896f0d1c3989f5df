using System.Globalization;
using System.Net;
using System.Text;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Integration.Tests.Workflow;

namespace DataRights.Integration.Tests.Connectors;

/// <summary>
/// A customer system that answers 202 and calls back later (the contract's asynchronous answers), and
/// a manual owner who is slow: the step waits, is reminded, and fails when its time runs out.
/// </summary>
public sealed class LaterAnswerTests : IAsyncLifetime
{
    private const string SecretVariable = "DATARIGHTS_SOURCE_TEST_LATER_ANSWER_SECRET";
    private FakeContractSystem _system = null!;

    public async Task InitializeAsync()
    {
        System.Environment.SetEnvironmentVariable(SecretVariable, Encoding.UTF8.GetString(FakeContractSystem.Secret));
        _system = await FakeContractSystem.StartAsync();
        _system.AnswerLater = true;
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();

    [Fact]
    public async Task System_AnswersBothStepsByCallback_RequestCompletesWithItsAnswers()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var email = await SubmitToPortalAsync(factory, client, person: 11, "erasure");

        var discover = NextCall("discover");
        Assert.Equal(email, discover.Subject);
        Assert.DoesNotContain(factory.Outbox, m => m.To == "approver@example.com");
        Assert.Single(await factory.Stored.AuditAsync("source.answer_awaited"));

        using (var answered = await CallBackAsync(client, factory, discover.Callback, """{"records": 5, "categories": ["telephony.recording"], "accountMatched": false}"""))
        {
            Assert.Equal(HttpStatusCode.NoContent, answered.StatusCode);
        }

        await factory.DrainAsync();
        var approval = factory.Outbox.Single(m => m.To == "approver@example.com");
        Assert.Contains("Recording portal: 5 records (Recordings)", approval.Text, StringComparison.Ordinal);

        await WorkflowEndToEndTests.FollowAsync(client, approval.PathOfLink("/approve/"), "Approve and carry out", ("decision", "approve"));
        await factory.DrainAsync();
        var erase = NextCall("erase");
        Assert.NotEqual(discover.Callback, erase.Callback);
        // Kept until a year from today, so the test reads the same whatever day it runs.
        var keptUntil = TimeProvider.System.GetUtcNow().AddYears(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        using (var answered = await CallBackAsync(client, factory, erase.Callback, $$"""{"erased": 4, "masked": 0, "retained": [{"category": "telephony.recording", "count": 1, "legalBasis": "a court order to preserve it", "retainedUntil": "{{keptUntil}}"}]}"""))
        {
            Assert.Equal(HttpStatusCode.NoContent, answered.StatusCode);
        }

        await factory.DrainAsync();
        var completion = factory.Outbox.Single(m => m.Subject.Contains("is complete", StringComparison.Ordinal));
        Assert.Contains("Recording portal: deleted 4 records. We kept 1 record (Recordings) because a court order to preserve it (UK GDPR Art. 17(3)(b))", completion.Text, StringComparison.Ordinal);
        Assert.Single(await factory.Stored.AuditAsync("source.executed", "system:portal:callback"));

        using var again = await CallBackAsync(client, factory, erase.Callback, """{"erased": 9, "masked": 0, "retained": []}""");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task System_AnswersAnExportByCallback_ItsCopyIsInThePersonsDownload()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var email = await SubmitToPortalAsync(factory, client, person: 13, "access");
        using (var answered = await CallBackAsync(client, factory, NextCall("discover").Callback, """{"records": 2, "categories": ["telephony.recording"]}"""))
        {
            Assert.Equal(HttpStatusCode.NoContent, answered.StatusCode);
        }

        await factory.DrainAsync();
        await WorkflowEndToEndTests.FollowAsync(client, factory.Outbox.Single(m => m.To == "approver@example.com").PathOfLink("/approve/"), "Approve and carry out", ("decision", "approve"));
        await factory.DrainAsync();

        // The export was accepted with 202: no copy yet, nothing sent to the person.
        var export = NextCall("export");
        Assert.DoesNotContain(factory.Outbox, m => m.To == email && m.Links.Any(l => l.Contains("/download/", StringComparison.Ordinal)));
        using (var misshapen = await CallBackAsync(client, factory, export.Callback, """{"tables": [{"category": "telephony.recording", "name": "recordings", "columns": ["a"], "rows": [[1, 2]]}]}"""))
        {
            Assert.Equal(HttpStatusCode.BadRequest, misshapen.StatusCode);
        }

        using (var answered = await CallBackAsync(client, factory, export.Callback,
            """{"tables": [{"category": "telephony.recording", "name": "recordings", "provided": false, "columns": ["recorded_at", "file"], "rows": [["2026-03-01", "rec-1.wav"], ["2026-04-02", "rec-2.wav"]]}]}"""))
        {
            Assert.Equal(HttpStatusCode.NoContent, answered.StatusCode);
        }

        await factory.DrainAsync();
        var ready = factory.Outbox.Single(m => m.To == email && m.Links.Any(l => l.Contains("/download/", StringComparison.Ordinal)));
        var page = await client.GetStringAsync(ready.PathOfLink("/download/"));
        using var download = await client.PostAsync(ready.PathOfLink("/download/"), new FormUrlEncodedContent([new("__csrf", Forms.CsrfToken(page))]));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(await download.Content.ReadAsByteArrayAsync()), System.IO.Compression.ZipArchiveMode.Read);
        using var records = new StreamReader(zip.GetEntry("Recording portal/records.json")!.Open());
        var text = await records.ReadToEndAsync();
        Assert.Contains("rec-2.wav", text, StringComparison.Ordinal);
        Assert.Single(await factory.Stored.AuditAsync("source.executed", "system:portal:callback"));
    }

    [Fact]
    public async Task Callback_ForgedTamperedMisshapenOrLate_IsRefusedAndChangesNothing()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var email = await SubmitToPortalAsync(factory, client, person: 12, "erasure");
        var discover = NextCall("discover");
        const string good = """{"records": 1, "categories": ["telephony.recording"]}""";
        var auditBefore = await factory.Stored.AuditCountAsync();

        using var forged = await CallBackAsync(client, factory, discover.Callback, good, secret: Encoding.UTF8.GetBytes("a different secret, not shared..."));
        using var stale = await CallBackAsync(client, factory, discover.Callback, good, skew: TimeSpan.FromMinutes(-6));
        var path = discover.Callback;
        using var tampered = await CallBackAsync(client, factory, path[..^3] + (path[^3] == 'A' ? "B" : "A") + path[^2..], good);
        using var misshapen = await CallBackAsync(client, factory, discover.Callback, """{"records": "five"}""");

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, tampered.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, misshapen.StatusCode);
        Assert.Equal("application/problem+json", misshapen.Content.Headers.ContentType?.MediaType);
        Assert.Equal("body", (await misshapen.JsonAsync()).GetProperty("field").GetString());
        Assert.Equal(auditBefore, await factory.Stored.AuditCountAsync());

        await factory.AdvanceAsync(TimeSpan.FromDays(9));
        using var expired = await CallBackAsync(client, factory, discover.Callback, good);
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
    }

    [Fact]
    public async Task System_ThatNeverCallsBack_FailsTheStepAfterTheTimeLimitAndApproversSeeIt()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var email = await SubmitToPortalAsync(factory, client, person: 13, "erasure");
        NextCall("discover");

        await factory.AdvanceAsync(TimeSpan.FromDays(6.9));
        Assert.DoesNotContain(factory.Outbox, m => m.To == "approver@example.com");
        await factory.AdvanceAsync(TimeSpan.FromDays(0.2));

        var approval = factory.Outbox.Single(m => m.To == "approver@example.com");
        Assert.Contains("Recording portal", approval.Text, StringComparison.Ordinal);
        Assert.Contains("did not answer within 7 days", approval.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task System_ReportingItCouldNotDoTheStep_IsRecordedAsAFailureWithItsReason()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var email = await SubmitToPortalAsync(factory, client, person: 14, "erasure");

        using var reported = await CallBackAsync(client, factory, NextCall("discover").Callback, """{"error": "the archive is offline for maintenance"}""");
        await factory.DrainAsync();

        Assert.Equal(HttpStatusCode.NoContent, reported.StatusCode);
        Assert.Contains("The system reported: the archive is offline for maintenance", factory.Outbox.Single(m => m.To == "approver@example.com").Text, StringComparison.Ordinal);
    }

    /// <summary>Registers the fake system as source "portal", submits and verifies a request of demo person <paramref name="person"/>, and returns their email.</summary>
    private async Task<string> SubmitToPortalAsync(DataRightsFactory factory, HttpClient client, int person, string type)
    {
        _system.Clock = factory.Clock;
        var (name, email, _) = DemoCrmConnector.Person(person);
        await _system.RegisterAsync(client, "portal", "Recording portal", SecretVariable, "telephony.recording");
        await Journeys.SubmitAndVerifyAsync(factory, client, type, name, email);
        return email;
    }

    private (string Subject, string Callback) NextCall(string operation)
    {
        Assert.True(_system.Deferred.TryDequeue(out var call), "The system was not called.");
        Assert.Equal(operation, call.Operation);
        var callback = new Uri(call.Body.GetProperty("callback").GetString()!);
        Assert.StartsWith(ConnectorCallbacks.RoutePrefix, callback.AbsolutePath, StringComparison.Ordinal);
        return (call.Body.GetProperty("subject").GetProperty("email").GetString()!, callback.PathAndQuery);
    }

    private static async Task<HttpResponseMessage> CallBackAsync(
        HttpClient client, DataRightsFactory factory, string path, string json, byte[]? secret = null, TimeSpan skew = default)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var timestamp = (factory.Clock.GetUtcNow() + skew).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-DataRights-Timestamp", timestamp);
        request.Headers.Add("X-DataRights-Signature", HttpSourceConnector.Sign(secret ?? FakeContractSystem.Secret, timestamp, body));
        return await client.SendAsync(request);
    }
}
