using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using DataRights.Core.Requests;
using DataRights.Core.Retention;
using DataRights.Core.Sources;
using DataRights.Host.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DataRights.Integration.Tests.Connectors;

/// <summary>
/// A customer system speaking our contract (docs/http-connector-contract.md) on a local Kestrel port:
/// it checks every signature and the replay window exactly as the contract tells customers to.
/// </summary>
public sealed class FakeContractSystem : IAsyncDisposable
{
    public static readonly byte[] Secret = Encoding.UTF8.GetBytes("shared-secret-for-tests-only-32b!");

    private readonly WebApplication _app;

    private FakeContractSystem(WebApplication app) => _app = app;

    public ConcurrentDictionary<string, int> Records { get; } = new(StringComparer.OrdinalIgnoreCase);

    private ConcurrentDictionary<string, bool> Erased { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Overrides the next answers (status, raw body) for tests of failures.</summary>
    public ConcurrentQueue<(int Status, string Body)> Script { get; } = new();

    public int Refused { get; private set; }

    /// <summary>Dated records the purge call works on: category, record date, the owner's email.</summary>
    public List<(string Category, DateOnly Date, string Email)> Dated { get; } = [];

    /// <summary>False: the system has no purge call (answers 404), as version 1 systems may.</summary>
    public bool OffersPurge { get; set; } = true;

    /// <summary>The purge calls' bodies as sent.</summary>
    public ConcurrentQueue<string> PurgeCalls { get; } = new();

    /// <summary>The clock the system checks the replay window against (a host's fake clock in end-to-end tests).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>When true, discover and erase answer 202 and keep the call (body with its callback address) for the test to answer.</summary>
    public bool AnswerLater { get; set; }

    /// <summary>Calls answered with 202: operation and the request body as sent.</summary>
    public ConcurrentQueue<(string Operation, JsonElement Body)> Deferred { get; } = new();

    /// <summary>Identity fields the system holds for everyone, as compared (<c>phone</c> to <c>447700900123</c>): a discovery lists the given details that match.</summary>
    public ConcurrentDictionary<string, string> Held { get; } = new(StringComparer.Ordinal);

    /// <summary>Every call's operation and the request body as sent.</summary>
    public ConcurrentQueue<(string Operation, JsonElement Body)> Calls { get; } = new();

    public Uri BaseAddress => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/dr/");

    public static async Task<FakeContractSystem> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, "http://127.0.0.1:0");
        var app = builder.Build();
        var system = new FakeContractSystem(app);
        app.Map("/dr/{operation}", system.HandleAsync);
        await app.StartAsync();
        return system;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>Registers this system as HTTP source <paramref name="key"/> in eu-west through the staff API, its secret read from <paramref name="secretVariable"/>.</summary>
    public async Task RegisterAsync(HttpClient client, string key, string displayName, string secretVariable, string category)
    {
        using var request = Workflow.WorkflowEndToEndTests.Staff(HttpMethod.Put, $"/api/admin/sources/{key}");
        request.Content = System.Net.Http.Json.JsonContent.Create(new
        {
            displayName, connectorType = "http", access = "read-write", region = "eu-west", identityFields = new[] { "email" },
            connection = new Dictionary<string, string> { ["baseUrl"] = BaseAddress.AbsoluteUri, ["secret"] = "env:" + secretVariable },
            secretSettings = new[] { "secret" },
            categories = new[] { new { key = category, displayName = "Recordings", strategy = "delete" } },
        });
        using var response = await client.SendAsync(request);
        Xunit.Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task HandleAsync(HttpContext context, string operation)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var timestamp = context.Request.Headers["X-DataRights-Timestamp"].ToString();
        var fresh = long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && Math.Abs(Clock.GetUtcNow().ToUnixTimeSeconds() - seconds) <= 300;
        if (!fresh || context.Request.Headers["X-DataRights-Signature"].ToString() != HttpSourceConnector.Sign(Secret, timestamp, body))
        {
            Refused++;
            context.Response.StatusCode = 401;
            return;
        }

        if (Script.TryDequeue(out var scripted))
        {
            context.Response.StatusCode = scripted.Status;
            await context.Response.WriteAsync(scripted.Body);
            return;
        }

        if (operation == "health")
        {
            return;
        }

        if (operation == "purge")
        {
            await PurgeAsync(context, body);
            return;
        }

        if (AnswerLater)
        {
            Deferred.Enqueue((operation, JsonDocument.Parse(body).RootElement.Clone()));
            context.Response.StatusCode = 202;
            return;
        }

        var request = JsonDocument.Parse(body).RootElement.Clone();
        Calls.Enqueue((operation, request));
        var email = request.GetProperty("subject").GetProperty("email").GetString()!;
        var count = Records.GetValueOrDefault(email);
        if (operation == "discover")
        {
            string[] categories = count == 0 ? [] : Erased.ContainsKey(email) ? ["billing.invoice"] : ["contact.email", "billing.invoice"];
            var matched = request.TryGetProperty("dataPoints", out var given) && given.ValueKind == JsonValueKind.Array
                ? given.EnumerateArray().Where(d => Held.TryGetValue(d.GetProperty("field").GetString()!, out var held) && held == d.GetProperty("value").GetString())
                    .Select(d => d.GetProperty("name").GetString()).ToArray()
                : null;
            await context.Response.WriteAsJsonAsync(new { records = count, categories, accountMatched = false, matchedDataPoints = matched });
            return;
        }

        var first = Erased.TryAdd(email, true);
        Records[email] = count > 0 ? 1 : 0;
        await context.Response.WriteAsJsonAsync(new
        {
            erased = first ? Math.Max(0, count - 1) : 0,
            masked = 0,
            retained = count > 0 ? new[] { new { category = "billing.invoice", count = 1, legalBasis = "UK tax law; UK GDPR Art. 17(3)(b)", retainedUntil = "2032-06-01" } } : [],
        });
    }

    /// <summary>The contract's purge call, as a system would implement it: hash each record's email as DataRights does and spare matches.</summary>
    private async Task PurgeAsync(HttpContext context, byte[] body)
    {
        PurgeCalls.Enqueue(Encoding.UTF8.GetString(body));
        if (!OffersPurge)
        {
            context.Response.StatusCode = 404;
            return;
        }

        var command = JsonDocument.Parse(body).RootElement;
        var category = command.GetProperty("category").GetString();
        var cutoff = DateOnly.Parse(command.GetProperty("cutoff").GetString()!, CultureInfo.InvariantCulture);
        var held = command.GetProperty("heldSubjects").EnumerateArray().Select(h => h.GetString()!).ToHashSet(StringComparer.Ordinal);
        object answer;
        lock (Dated)
        {
            if (!Dated.Any(r => r.Category == category))
            {
                answer = new { applies = false };
            }
            else
            {
                var due = Dated.Where(r => r.Category == category && r.Date < cutoff).ToList();
                var spared = due.Count(r => held.Contains(DataRights.Core.Sources.Registry.LegalHold.HashSubject(r.Email)));
                var free = due.Where(r => !held.Contains(DataRights.Core.Sources.Registry.LegalHold.HashSubject(r.Email))).ToList();
                var take = command.GetProperty("dryRun").GetBoolean() ? free : free.Take(command.GetProperty("batchSize").GetInt32()).ToList();
                if (!command.GetProperty("dryRun").GetBoolean())
                {
                    take.ForEach(r => Dated.Remove(r));
                }

                answer = new { scanned = due.Count, purged = take.Count, held = spared, complete = take.Count == free.Count };
            }
        }

        await context.Response.WriteAsJsonAsync(answer);
    }
}

public sealed class HttpConnectorContractTests : ConnectorContract, IAsyncLifetime
{
    private FakeContractSystem _system = null!;
    private readonly HttpClient _client = new();

    protected override SubjectIdentity Known { get; } = new("kim@example.com", "Kim Lee", null);

    public async Task InitializeAsync()
    {
        _system = await FakeContractSystem.StartAsync();
        _system.Records["kim@example.com"] = 3;
        _system.Records["other@example.com"] = 2;
        for (var day = 0; day < 120; day++)
        {
            _system.Dated.Add(("telephony.cdr", new DateOnly(2025, 1, 1).AddDays(day), day % 2 == 0 ? "kim@example.com" : "other@example.com"));
        }
    }

    protected override (string Category, DateOnly Cutoff)? Purgeable => ("telephony.cdr", new DateOnly(2025, 4, 1));

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _system.DisposeAsync();
    }

    protected override Task<(IDataSourceConnector, IReadOnlyList<string>)> CreateAsync() =>
        Task.FromResult<(IDataSourceConnector, IReadOnlyList<string>)>(
            (new HttpSourceConnector(_client, _system.BaseAddress, FakeContractSystem.Secret, TimeProvider.System), ["billing.invoice"]));
}

public sealed class HttpConnectorTests : IAsyncLifetime
{
    private FakeContractSystem _system = null!;
    private readonly HttpClient _client = new();

    public async Task InitializeAsync() => _system = await FakeContractSystem.StartAsync();

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _system.DisposeAsync();
    }

    [Theory]
    [InlineData(null, ErasureGround.LegalObligation)]
    [InlineData("\"legal-obligation\"", ErasureGround.LegalObligation)]
    [InlineData("\"legal-claims\"", ErasureGround.LegalClaims)]
    public void ErasureAnswer_GivesEachKeptCategorysGround_ALegalObligationUnlessSaid(string? ground, ErasureGround expected)
    {
        var json = Kept(ground is null ? string.Empty : ", \"ground\": " + ground);

        Assert.Equal(expected, Assert.Single(HttpSourceConnector.ParseErasure(Encoding.UTF8.GetBytes(json)).Retained).Ground);
    }

    [Theory]
    [InlineData("\"because\"")]
    [InlineData("\"Legal-Claims\"")]
    [InlineData("7")]
    public void ErasureAnswer_WithAGroundTheContractDoesNotName_IsNotInItsShape(string ground) =>
        Assert.Throws<InvalidDataException>(() => HttpSourceConnector.ParseErasure(Encoding.UTF8.GetBytes(Kept(", \"ground\": " + ground))));

    private static string Kept(string more) =>
        "{\"erased\": 1, \"masked\": 0, \"retained\": [{\"category\": \"billing.invoice\", \"count\": 1, \"legalBasis\": \"a dispute\"" + more + "}]}";

    [Fact]
    public async Task Call_WithTheWrongSecret_IsRefusedByTheSystem()
    {
        var connector = new HttpSourceConnector(_client, _system.BaseAddress, Encoding.UTF8.GetBytes("not the shared secret at all...."), TimeProvider.System);

        await Assert.ThrowsAsync<InvalidOperationException>(() => connector.DiscoverAsync(SourceCall.For(new SubjectIdentity("a@example.com", "A", null)), CancellationToken.None));
        Assert.Equal(1, _system.Refused);
    }

    [Fact]
    public async Task Call_SignedOutsideTheReplayWindow_IsRefusedByTheSystem()
    {
        var clock = new DataRights.Testing.FakeTimeProvider(TimeProvider.System.GetUtcNow().AddMinutes(-6));
        var connector = new HttpSourceConnector(_client, _system.BaseAddress, FakeContractSystem.Secret, clock);

        await Assert.ThrowsAsync<InvalidOperationException>(() => connector.DiscoverAsync(SourceCall.For(new SubjectIdentity("a@example.com", "A", null)), CancellationToken.None));
        Assert.Equal(1, _system.Refused);
    }

    [Fact]
    public async Task Discover_WithTheRequestersDetails_SendsThemToTheSearchOnlyAndReadsTheNamesThatMatched()
    {
        _system.Held["postcode"] = "EC1A1AA";
        _system.Records["a@example.com"] = 2;
        var connector = new HttpSourceConnector(_client, _system.BaseAddress, FakeContractSystem.Secret, TimeProvider.System);
        var subject = new SubjectIdentity("a@example.com", "A", null)
        {
            DataPoints = [new("postcode", "postcode", "EC1A1AA", "hmac-sha256:a"), new("phone", "phone", "447700900123", "hmac-sha256:b")],
        };

        var found = await connector.DiscoverAsync(SourceCall.For(subject), CancellationToken.None);
        await connector.ExecuteAsync(SourceCall.For(subject), RequestType.Erasure, null, CancellationToken.None);
        var plain = await connector.DiscoverAsync(SourceCall.For(new SubjectIdentity("a@example.com", "A", null)), CancellationToken.None);

        Assert.Equal(["postcode"], found.MatchedDataPoints);
        Assert.Null(plain.MatchedDataPoints);
        var calls = _system.Calls.ToList();
        Assert.Equal(2, calls[0].Body.GetProperty("dataPoints").GetArrayLength());
        Assert.Equal("erase", calls[1].Operation);
        Assert.False(calls[1].Body.TryGetProperty("dataPoints", out _));
        Assert.False(calls[2].Body.TryGetProperty("dataPoints", out _));
    }

    [Theory]
    [InlineData(200, "this is not json")]
    [InlineData(200, "{\"records\": -5, \"categories\": []}")]
    [InlineData(200, "{\"records\": 2}")]
    public async Task Discover_GarbageAnswer_IsAFailureNotNothingFound(int status, string body)
    {
        _system.Script.Enqueue((status, body));
        var connector = new HttpSourceConnector(_client, _system.BaseAddress, FakeContractSystem.Secret, TimeProvider.System);

        await Assert.ThrowsAsync<InvalidDataException>(() => connector.DiscoverAsync(SourceCall.For(new SubjectIdentity("a@example.com", "A", null)), CancellationToken.None));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task Erase_ServerTroubles_AreRetryableFailures(int status)
    {
        _system.Script.Enqueue((status, "{}"));
        var connector = new HttpSourceConnector(_client, _system.BaseAddress, FakeContractSystem.Secret, TimeProvider.System);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => connector.ExecuteAsync(SourceCall.For(new SubjectIdentity("a@example.com", "A", null)), RequestType.Erasure, null, CancellationToken.None));

        Assert.Equal((HttpStatusCode)status, error.StatusCode);
    }
}

public sealed class HttpConnectorLaterAnswerTests : IAsyncLifetime
{
    private static readonly SubjectIdentity Kim = new("kim@example.com", "Kim Lee", null);
    private FakeContractSystem _system = null!;
    private readonly HttpClient _client = new();

    public async Task InitializeAsync()
    {
        _system = await FakeContractSystem.StartAsync();
        _system.AnswerLater = true;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _system.DisposeAsync();
    }

    [Fact]
    public async Task Accepted_WithACallbackAddress_IsAnAnswerLaterAndTheSystemGetsTheAddress()
    {
        var connector = new HttpSourceConnector(_client, _system.BaseAddress, FakeContractSystem.Secret, TimeProvider.System);
        var callback = new Uri("https://rights.example.com/api/callbacks/abc.def");

        var findings = await connector.DiscoverAsync(new SourceCall(Kim, "req-1", callback), CancellationToken.None);
        var outcome = await connector.ExecuteAsync(new SourceCall(Kim, "req-1", callback), RequestType.Erasure, null, CancellationToken.None);

        Assert.True(findings.Deferred);
        Assert.True(outcome.Deferred);
        Assert.True(_system.Deferred.TryDequeue(out var call));
        Assert.Equal("discover", call.Operation);
        Assert.Equal(callback.AbsoluteUri, call.Body.GetProperty("callback").GetString());
        Assert.Equal("req-1", call.Body.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task Accepted_WhenNoCallbackWasOffered_IsAFailure()
    {
        var connector = new HttpSourceConnector(_client, _system.BaseAddress, FakeContractSystem.Secret, TimeProvider.System);

        await Assert.ThrowsAsync<InvalidOperationException>(() => connector.DiscoverAsync(SourceCall.For(Kim), CancellationToken.None));
    }

    [Fact]
    public void FoundNothing_IsNotAnAnswerLater()
    {
        Assert.False(new DiscoveryFindings(0, [], false).Deferred);
        Assert.False(ExecutionOutcome.Nothing.Deferred);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(299, true)]
    [InlineData(301, false)]
    [InlineData(-301, false)]
    public void Callback_Signature_HoldsOnlyWithinTheReplayWindow(int skewSeconds, bool authentic)
    {
        var now = new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);
        var body = Encoding.UTF8.GetBytes("{\"records\":1,\"categories\":[\"contact.email\"]}");
        var timestamp = (now.ToUnixTimeSeconds() + skewSeconds).ToString(CultureInfo.InvariantCulture);

        Assert.Equal(authentic, HttpSourceConnector.IsAuthentic(FakeContractSystem.Secret, timestamp, HttpSourceConnector.Sign(FakeContractSystem.Secret, timestamp, body), body, now));
        Assert.False(HttpSourceConnector.IsAuthentic(FakeContractSystem.Secret, timestamp, HttpSourceConnector.Sign(FakeContractSystem.Secret, timestamp, [.. body, 32]), body, now));
    }
}
