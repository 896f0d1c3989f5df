using System.Net;
using System.Text;
using DataRights.Host.Http;
using DataRights.Host.Staff;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.Security;

/// <summary>Rate-limit logging, forwarded headers, owner-only files, the OpenAPI document, the Server header and 415 answers.</summary>
public sealed class HostingHardeningTests
{
    [Fact]
    public async Task RateLimit_ManyRefusalsInOneWindow_LogOneLineWithTheCount()
    {
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?> { ["DataRights:Intake:PerClientPermitLimit"] = "2" });
        using var client = factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            using var response = await client.PostJsonAsync(Submissions.Valid($"burst{i}@example.com"));
            statuses.Add(response.StatusCode);
        }

        factory.Services.GetRequiredService<RateLimitLog>().Flush();

        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        var lines = factory.Logs.Lines.Where(l => l.Contains("[1003]", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(lines);
        Assert.Contains("per client: 10 submission(s) refused", line, StringComparison.Ordinal);
    }

    [Fact]
    public void RateLimitLog_TwoKinds_LogOneLineEach()
    {
        var logs = new CapturedLogs();
        using (var log = new RateLimitLog(new Microsoft.Extensions.Logging.Logger<RateLimitLog>(new LoggerFactoryOf(logs)), TimeProvider.System))
        {
            for (var i = 0; i < 500; i++)
            {
                log.Refused(i % 5 == 0 ? "email" : "client");
            }
        }

        Assert.Equal(2, logs.Lines.Count);
        Assert.Contains(logs.Lines, l => l.Contains("per client: 400 submission(s)", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains("per email: 100 submission(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ForwardedFor_FromAKnownProxy_GivesEachClientItsOwnLimit()
    {
        using var factory = ProxiedFactory();

        Assert.Equal(StatusCodes.Status202Accepted, await SubmitViaAsync(factory, "10.0.0.1", "203.0.113.7", "a1@example.com"));
        Assert.Equal(StatusCodes.Status429TooManyRequests, await SubmitViaAsync(factory, "10.0.0.1", "203.0.113.7", "a2@example.com"));
        Assert.Equal(StatusCodes.Status202Accepted, await SubmitViaAsync(factory, "10.0.0.1", "198.51.100.9", "b1@example.com"));
    }

    [Fact]
    public async Task ForwardedFor_FromAnUnknownProxy_IsIgnored()
    {
        using var factory = ProxiedFactory();

        Assert.Equal(StatusCodes.Status202Accepted, await SubmitViaAsync(factory, "10.0.0.9", "203.0.113.7", "a1@example.com"));
        Assert.Equal(StatusCodes.Status429TooManyRequests, await SubmitViaAsync(factory, "10.0.0.9", "198.51.100.9", "b1@example.com"));
    }

    [Fact]
    public void ForwardedHeaders_AddressThatDoesNotParse_IsRefusedNamingIt()
    {
        var result = new ForwardedHeadersSettingsValidator().Validate(null, new ForwardedHeadersSettingsOptions { KnownProxies = ["10.0.0.1", "proxy.example"], KnownNetworks = ["10.0.0.0/33"] });

        Assert.True(result.Failed);
        Assert.Contains("DataRights:ForwardedHeaders:KnownProxies:1", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("DataRights:ForwardedHeaders:KnownNetworks:0", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForwardedFor_NotConfigured_IsIgnored()
    {
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?> { ["DataRights:Intake:PerClientPermitLimit"] = "1" });

        Assert.Equal(StatusCodes.Status202Accepted, await SubmitViaAsync(factory, "127.0.0.1", "203.0.113.7", "a1@example.com"));
        Assert.Equal(StatusCodes.Status429TooManyRequests, await SubmitViaAsync(factory, "127.0.0.1", "198.51.100.9", "b1@example.com"));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void KeyFile_AlreadyThereWithWiderRights_IsMadeOwnerOnlyWhenRead()
    {
        var data = Directory.CreateTempSubdirectory("datarights-keys-").FullName;
        try
        {
            var key = DataRights.Host.Links.KeyFiles.LoadOrCreate(data, "link-local.key");
            var folder = Path.Combine(data, "keys");
            var file = Path.Combine(folder, "link-local.key");
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

            Assert.Equal(key, DataRights.Host.Links.KeyFiles.LoadOrCreate(data, "link-local.key"));

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Files_TheProgramWrites_AreOwnerOnly()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        await SubmitAsync(client, factory.Services, "files@example.com");
        await factory.DrainAsync();
        await factory.Services.GetRequiredService<DataRights.Core.Sources.IDataSourceRegistry>().Connector("billing")!.TestAsync(CancellationToken.None);
        var files = Directory.EnumerateFiles(factory.DataDirectory, "*", SearchOption.AllDirectories).ToList();
        var folders = Directory.EnumerateDirectories(factory.DataDirectory, "*", SearchOption.AllDirectories).ToList();

        Assert.Contains(files, f => f.EndsWith(".eml", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("billing.db", StringComparison.Ordinal));
        Assert.All(files, f => Assert.True(File.GetUnixFileMode(f) == (UnixFileMode.UserRead | UnixFileMode.UserWrite), $"{f}: {File.GetUnixFileMode(f)}"));
        Assert.All(folders, d => Assert.True(File.GetUnixFileMode(d) == (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute), $"{d}: {File.GetUnixFileMode(d)}"));
    }

    [Theory]
    [InlineData("Development", HttpStatusCode.OK)]
    [InlineData("Production", HttpStatusCode.Unauthorized)]
    public async Task OpenApi_Anonymous_IsOpenOnlyInDevelopment(string environment, HttpStatusCode expected)
    {
        using var factory = new DataRightsFactory(environment) { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/openapi/v1.json");

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public void Kestrel_ServerHeader_IsOff()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        Assert.False(factory.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.AddServerHeader);
    }

    [Theory]
    [InlineData("PUT", "/api/admin/sources/crm2")]
    [InlineData("POST", "/api/requests")]
    public async Task UnsupportedContentType_Returns415ProblemWithTypeAndPlainMessage(string method, string path)
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("hello", Encoding.UTF8, "text/plain") };
        request.Headers.Add(DevUserAuthenticationHandler.HeaderName, "Priya Officer");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("type").GetString()));
        Assert.Equal("Unsupported content type", problem.GetProperty("title").GetString());
        Assert.Contains("application/json", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static DataRightsFactory ProxiedFactory() => new(settings: new Dictionary<string, string?>
    {
        ["DataRights:Intake:PerClientPermitLimit"] = "1",
        ["DataRights:ForwardedHeaders:KnownProxies:0"] = "10.0.0.1",
    });

    private static async Task<int> SubmitViaAsync(DataRightsFactory factory, string proxy, string client, string email)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"type":"erasure","email":"{{email}}","fullName":"Jane Doe","jurisdiction":"UK"}""");
        var context = await factory.Server.SendAsync(c =>
        {
            c.Request.Method = "POST";
            c.Request.Path = "/api/requests";
            c.Request.ContentType = "application/json";
            c.Request.Body = new MemoryStream(body);
            c.Request.ContentLength = body.Length;
            c.Request.Headers["X-Forwarded-For"] = client;
            c.Connection.RemoteIpAddress = IPAddress.Parse(proxy);
        });
        return context.Response.StatusCode;
    }

    private sealed class LoggerFactoryOf(CapturedLogs logs) : Microsoft.Extensions.Logging.ILoggerFactory
    {
        public void AddProvider(Microsoft.Extensions.Logging.ILoggerProvider provider)
        {
        }

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => logs.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
