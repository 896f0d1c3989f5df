using System.Net;
using System.Text;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Infrastructure;
using static DataRights.Integration.Tests.Retention.PurgeKit;

namespace DataRights.Integration.Tests.Connectors;

/// <summary>
/// Retention purges of HTTP sources through the contract's optional <c>POST /purge</c>: bounded steps, the
/// people under a legal hold sent as hashes only, and a system without the call reported, not failed.
/// </summary>
public sealed class HttpPurgeTests : IAsyncLifetime
{
    private const string SecretVariable = "DATARIGHTS_SOURCE_TEST_HTTP_PURGE_SECRET";
    private FakeContractSystem _system = null!;
    private readonly HttpClient _client = new();

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable(SecretVariable, Encoding.UTF8.GetString(FakeContractSystem.Secret));
        _system = await FakeContractSystem.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _system.DisposeAsync();
    }

    [Fact]
    public async Task Purge_SparesHeldPeople_WhoAreSentAsHashesOnly()
    {
        Seed(("kim@example.com", 30), ("held.person@example.com", 5));
        var held = new HashSet<string> { LegalHold.HashSubject("held.person@example.com") };

        var step = await Connector().PurgeAsync(new PurgeCommand("telephony.cdr", new DateOnly(2025, 6, 1), 1000, DryRun: false, held), CancellationToken.None);

        Assert.Equal((35, 30, 5, true), (step.Scanned, step.Purged, step.Held, step.Complete));
        Assert.All(_system.Dated, r => Assert.Equal("held.person@example.com", r.Email));
        var sent = Assert.Single(_system.PurgeCalls);
        Assert.Contains(LegalHold.HashSubject("held.person@example.com"), sent, StringComparison.Ordinal);
        Assert.DoesNotContain("@", sent, StringComparison.Ordinal);
        Assert.Contains("\"cutoff\":\"2025-06-01\"", sent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Purge_OfACategoryTheSystemDoesNotHold_DoesNotApply()
    {
        Seed(("kim@example.com", 3));

        var step = await Connector().PurgeAsync(new PurgeCommand("crm.profile", new DateOnly(2025, 6, 1), 10, DryRun: false, new HashSet<string>()), CancellationToken.None);

        Assert.False(step.Applies);
        Assert.Equal(3, _system.Dated.Count);
    }

    [Fact]
    public async Task Purge_OnASystemWithoutTheCall_IsNotSupported_NamingWhatToDo()
    {
        _system.OffersPurge = false;

        var step = await Connector().PurgeAsync(new PurgeCommand("telephony.cdr", new DateOnly(2025, 6, 1), 10, DryRun: false, new HashSet<string>()), CancellationToken.None);

        Assert.False(step.Supported);
        Assert.Contains("answered 404", step.Note, StringComparison.Ordinal);
        Assert.Contains("POST /purge", step.Note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"scanned\": 5, \"purged\": 6, \"held\": 0, \"complete\": true}")]
    [InlineData("{\"scanned\": 50, \"purged\": 20, \"held\": 0, \"complete\": false}")]
    [InlineData("{\"scanned\": -1, \"purged\": 0, \"held\": 0, \"complete\": true}")]
    [InlineData("{\"scanned\": 5, \"purged\": 5, \"held\": 0}")]
    [InlineData("not json")]
    public async Task Purge_GarbageAnswer_IsAFailure(string body)
    {
        _system.Script.Enqueue((200, body));

        await Assert.ThrowsAsync<InvalidDataException>(() =>
            Connector().PurgeAsync(new PurgeCommand("telephony.cdr", new DateOnly(2025, 6, 1), 10, DryRun: false, new HashSet<string>()), CancellationToken.None));
    }

    [Fact]
    public async Task Purge_ServerTrouble_IsARetryableFailure()
    {
        _system.Script.Enqueue((503, "{}"));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() =>
            Connector().PurgeAsync(new PurgeCommand("telephony.cdr", new DateOnly(2025, 6, 1), 10, DryRun: false, new HashSet<string>()), CancellationToken.None));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
    }

    [Fact]
    public async Task RegionPurge_OfAnHttpSource_RemovesWhatIsPastTheRule_AndReportsIt()
    {
        using var factory = new DataRightsFactory();
        _system.Clock = factory.Clock;
        using var client = factory.CreateClient();
        await _system.RegisterAsync(client, "portal", "Recording portal", SecretVariable, "telephony.recording");
        var today = DateOnly.FromDateTime(factory.Clock.GetUtcNow().UtcDateTime);
        lock (_system.Dated)
        {
            for (var day = 0; day < 40; day++)
            {
                _system.Dated.Add(("telephony.recording", today.AddMonths(-4).AddDays(day), "kim@example.com"));
            }
        }

        var cutoff = today.AddMonths(-3);
        var due = _system.Dated.Count(r => r.Date < cutoff);

        await SavePolicyAsync(client, "eu-west", Rule("telephony.recording", "P3M"));
        var report = await RunNowAsync(client, "eu-west", dryRun: false);

        var line = Line(report, "portal", "telephony.recording");
        Assert.Equal("done", line.GetProperty("state").GetString());
        Assert.Equal(cutoff.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), line.GetProperty("cutoff").GetString());
        Assert.InRange(due, 1, 39);
        Assert.Equal(due, Count(line, "purged"));
        Assert.Equal(40 - due, _system.Dated.Count);
        Assert.All(_system.Dated, r => Assert.True(r.Date >= cutoff, $"{r.Date} is before the cutoff {cutoff} and was kept"));
    }

    private HttpSourceConnector Connector() => new(_client, _system.BaseAddress, FakeContractSystem.Secret, TimeProvider.System);

    private void Seed(params (string Email, int Records)[] people)
    {
        lock (_system.Dated)
        {
            foreach (var (email, records) in people)
            {
                for (var i = 0; i < records; i++)
                {
                    _system.Dated.Add(("telephony.cdr", new DateOnly(2025, 1, 1).AddDays(i), email));
                }
            }
        }
    }
}
