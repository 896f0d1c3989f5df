using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using DataRights.Core.Sources;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Integration.Tests.Workflow;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace DataRights.Integration.Tests.Connectors;

/// <summary>Where HTTP sources may connect: never link-local, internal only in Development or for allowed hosts, checked again at connect time, no redirects.</summary>
public sealed class HttpSourceAddressTests : IAsyncLifetime
{
    private FakeContractSystem _system = null!;

    public async Task InitializeAsync() => _system = await FakeContractSystem.StartAsync();

    public async Task DisposeAsync() => await _system.DisposeAsync();

    [Theory]
    [InlineData("http://169.254.169.254/")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[::ffff:169.254.169.254]/")]
    [InlineData("http://[::ffff:a9fe:a9fe]/")]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/")]
    [InlineData("http://[fe80::1]/")]
    [InlineData("http://2852039166/")]
    [InlineData("http://0xA9FEA9FE/")]
    [InlineData("http://0251.0376.0251.0376/")]
    [InlineData("http://0.0.0.0:8080/")]
    public async Task Register_BaseUrlOnALinkLocalAddress_Returns400NamingTheFieldEvenInDevelopment(string baseUrl)
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        using var response = await RegisterAsync(client, baseUrl);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("connection.baseUrl", out _));
    }

    [Fact]
    public async Task Register_BaseUrlOnLoopbackInDevelopment_IsAccepted()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        using var response = await RegisterAsync(client, _system.BaseAddress.AbsoluteUri);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("localhost", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("192.168.0.10", false)]
    [InlineData("[fd00::1]", false)]
    [InlineData("[::1]", false)]
    [InlineData("crm.internal", true)]
    [InlineData("203.0.113.7", true)]
    public async Task Problem_OutsideDevelopment_RefusesInternalAddressesUnlessTheHostIsAllowed(string host, bool allowedWhenListed)
    {
        var refusing = Addresses("Production", [], Resolver(("crm.internal", IPAddress.Parse("10.20.0.4"))));
        var allowing = Addresses("Production", ["crm.internal", "203.0.113.7"], Resolver(("crm.internal", IPAddress.Parse("10.20.0.4"))));

        Assert.Equal(host == "203.0.113.7", await refusing.ProblemAsync(host, CancellationToken.None) is null);
        Assert.Equal(allowedWhenListed, await allowing.ProblemAsync(host, CancellationToken.None) is null);
    }

    [Fact]
    public async Task Connect_HostNameThatNowResolvesToTheMetadataAddress_IsRefusedBeforeConnecting()
    {
        // Resolved to the fake system at registration, to the metadata address by the time of the call (DNS rebinding).
        var answers = new Queue<IPAddress>([IPAddress.Loopback, IPAddress.Parse("169.254.169.254")]);
        var addresses = Addresses("Development", [], (_, _) => Task.FromResult(new[] { answers.Dequeue() }));
        var baseUrl = new Uri($"http://rebind.test:{_system.BaseAddress.Port}/dr/");
        Assert.Null(await addresses.ProblemAsync(baseUrl.Host, CancellationToken.None));
        using var client = new HttpClient(addresses.CreateHandler());
        var connector = new HttpSourceConnector(client, baseUrl, FakeContractSystem.Secret, TimeProvider.System);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => connector.DiscoverAsync(SourceCall.For(new SubjectIdentity("a@example.com", "A", null)), CancellationToken.None));

        Assert.IsType<SourceAddressRefusedException>(error.InnerException);
    }

    [Fact]
    public async Task Connect_LocalhostOutsideDevelopment_IsRefusedAtConnectTime()
    {
        using var client = new HttpClient(Addresses("Production", [], null).CreateHandler());
        var connector = new HttpSourceConnector(client, new Uri($"http://localhost:{_system.BaseAddress.Port}/dr/"), FakeContractSystem.Secret, TimeProvider.System);

        var result = await connector.TestAsync(CancellationToken.None);

        Assert.False(result.Reachable);
        Assert.Equal("unreachable", result.Error);
    }

    [Fact]
    public async Task Call_AnsweredWithARedirect_IsNotFollowed()
    {
        var followed = 0;
        await using var target = await StartAsync(app => app.Map("/{**path}", () => { Interlocked.Increment(ref followed); return Results.Ok(); }));
        await using var redirecting = await StartAsync(app => app.Map("/dr/{**path}", () => Results.Redirect(Address(target) + "/took-the-bait", preserveMethod: true)));
        using var client = new HttpClient(Addresses("Development", [], null).CreateHandler());
        var connector = new HttpSourceConnector(client, new Uri(Address(redirecting) + "/dr/"), FakeContractSystem.Secret, TimeProvider.System);

        var test = await connector.TestAsync(CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(() => connector.DiscoverAsync(SourceCall.For(new SubjectIdentity("a@example.com", "A", null)), CancellationToken.None));

        Assert.False(test.Reachable);
        Assert.Equal(0, followed);
    }

    [Fact]
    public async Task Test_RefusedClosedOrUnresolvable_GivesOneAndTheSameAnswer()
    {
        var addresses = Addresses("Production", ["127.0.0.1"], (host, _) => host == "metadata.test"
            ? Task.FromResult(new[] { IPAddress.Parse("169.254.169.254") })
            : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound)));
        using var client = new HttpClient(addresses.CreateHandler());
        var closedPort = ClosedPort();

        var results = new List<ConnectionTest>();
        foreach (var baseUrl in new[] { $"http://127.0.0.1:{closedPort}/", "http://metadata.test/", "http://nowhere.test/", $"http://localhost:{closedPort}/" })
        {
            results.Add(await new HttpSourceConnector(client, new Uri(baseUrl), FakeContractSystem.Secret, TimeProvider.System).TestAsync(CancellationToken.None));
        }

        Assert.All(results, r => Assert.Equal(results[0], r));
        Assert.Equal("unreachable", results[0].Error);
    }

    private static SourceAddresses Addresses(string environment, string[] allowedHosts, Func<string, CancellationToken, Task<IPAddress[]>>? resolve) =>
        new(Options.Create(new SourcesOptions { AllowedHosts = [.. allowedHosts] }), new HostingEnvironment { EnvironmentName = environment }, resolve);

    private static Func<string, CancellationToken, Task<IPAddress[]>> Resolver(params (string Host, IPAddress Address)[] names) =>
        (host, cancellationToken) => names.FirstOrDefault(n => n.Host == host) is { Address: not null } found
            ? Task.FromResult(new[] { found.Address })
            : Dns.GetHostAddressesAsync(host, cancellationToken);

    private static async Task<HttpResponseMessage> RegisterAsync(HttpClient client, string baseUrl)
    {
        using var put = WorkflowEndToEndTests.Staff(HttpMethod.Put, "/api/admin/sources/portal");
        put.Content = JsonContent.Create(new
        {
            displayName = "Recording portal", connectorType = "http", access = "read-write", region = "eu-west", identityFields = new[] { "email" },
            connection = new Dictionary<string, string> { ["baseUrl"] = baseUrl, ["secret"] = "env:DATARIGHTS_SOURCE_TEST_PORTAL_SECRET" },
            secretSettings = new[] { "secret" },
            categories = new[] { new { key = "telephony.recording", displayName = "Telephony recording", strategy = "delete" } },
        });
        return await client.SendAsync(put);
    }

    private static async Task<WebApplication> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, "http://127.0.0.1:0");
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return app;
    }

    private static string Address(WebApplication app) => app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
