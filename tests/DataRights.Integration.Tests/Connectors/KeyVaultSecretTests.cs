using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using DataRights.Core.Sources.Registry;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;
using DataRights.Integration.Tests.Workflow;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DataRights.Integration.Tests.Connectors;

/// <summary>
/// <c>keyvault:NAME</c> secret references, read with the Key Vault SDK from a local fake of the Key Vault
/// REST API over https (a certificate the test makes), which answers the SDK's challenge and checks the
/// bearer token exactly as the real one does; never the network.
/// </summary>
public sealed class KeyVaultSecretTests : IAsyncLifetime
{
    private const string Token = "token-for-tests";
    private const string SecretName = "datarights-source-portal-secret";
    private WebApplication _vault = null!;
    private FakeContractSystem _system = null!;
    private X509Certificate2 _certificate = null!;
    private int _reads;

    public async Task InitializeAsync()
    {
        _system = await FakeContractSystem.StartAsync();
        _certificate = TestCertificates.CreateServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(_certificate)));
        _vault = builder.Build();
        _vault.MapGet("/secrets/{name}", (string name, HttpContext context) =>
        {
            Interlocked.Increment(ref _reads);
            if (context.Request.Headers.Authorization != "Bearer " + Token || string.IsNullOrEmpty(context.Request.Query["api-version"]))
            {
                // The challenge the SDK answers with a token for the vault's resource.
                context.Response.Headers.WWWAuthenticate = "Bearer authorization=\"https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001\", resource=\"https://vault.azure.net\"";
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            }

            return name == SecretName
                ? Results.Json(new { value = Encoding.UTF8.GetString(FakeContractSystem.Secret), id = $"{VaultUri}secrets/{SecretName}/1", attributes = new { enabled = true } })
                : Results.Json(new { error = new { code = "SecretNotFound", message = "A secret with (name/id) was not found in this key vault." } }, statusCode: StatusCodes.Status404NotFound);
        });
        await _vault.StartAsync();
    }

    private string VaultUri => _vault.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";

    public async Task DisposeAsync()
    {
        await _vault.DisposeAsync();
        await _system.DisposeAsync();
        _certificate.Dispose();
    }

    [Theory]
    [InlineData("keyvault:" + SecretName, Token, true, null)]
    [InlineData("keyvault:datarights-source-no-such-secret", Token, false, "could not be read from Key Vault")]
    [InlineData("keyvault:" + SecretName, "a stolen token", false, "could not be read from Key Vault")]
    public async Task HttpSource_WithAKeyVaultSecret_IsReachableOnlyWhenTheVaultGivesTheSecret(string reference, string token, bool reachable, string? reason)
    {
        using var factory = VaultFactory(token);
        _system.Clock = factory.Clock;
        using var client = factory.CreateClient();
        using (var saved = await RegisterAsync(client, reference))
        {
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        }

        using var test = WorkflowEndToEndTests.Staff(HttpMethod.Post, "/api/admin/sources/portal/test");
        test.Content = JsonContent.Create(new { });
        using var response = await client.SendAsync(test);
        var result = await response.JsonAsync();

        Assert.Equal(reachable, result.GetProperty("reachable").GetBoolean());
        if (reason is not null)
        {
            Assert.Contains(reason, result.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.True(_reads > 0);
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains(Encoding.UTF8.GetString(FakeContractSystem.Secret), StringComparison.Ordinal));
        var registrations = await factory.Stored.RowsAsync("Registry", "PartitionKey eq 'source'");
        Assert.Contains(registrations, r => r.RowKey == "portal");
        Assert.DoesNotContain(registrations, r => r.Select(p => p.Value).OfType<string>().Any(v => v.Contains(Encoding.UTF8.GetString(FakeContractSystem.Secret), StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Register_KeyVaultSecretOutsideTheNamePrefix_Returns400NamingTheFieldAndReadsNothing()
    {
        using var factory = VaultFactory(Token);
        using var client = factory.CreateClient();

        using var response = await RegisterAsync(client, "keyvault:entra-client-secret");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("datarights-source-", (await response.JsonAsync()).GetProperty("errors").GetProperty("connection.secret")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, _reads);
    }

    [Fact]
    public async Task Registry_StoredKeyVaultReferenceOutsideTheNamePrefix_IsNeverReadAndItsTestSaysWhy()
    {
        using var factory = VaultFactory(Token);
        using var client = factory.CreateClient();
        await client.GetAsync("/healthz");
        var registration = new SourceRegistration
        {
            Key = "portal", DisplayName = "Recording portal", ConnectorType = "http", Access = "read-write", Region = "eu-west", IdentityFields = ["email"],
            Connection = new Dictionary<string, string> { ["baseUrl"] = _system.BaseAddress.AbsoluteUri, ["secret"] = "keyvault:portal-secret" },
            SecretSettings = ["secret"],
            Categories = [new CategoryPolicy { Key = "telephony.recording", DisplayName = "Telephony recording", Strategy = "delete" }],
        };

        // Written past the API's validation, as a tampered or older store could hold it.
        await factory.Services.GetRequiredService<ISourceRegistrationStore>().SaveAsync(registration, "test", factory.Clock.GetUtcNow(), CancellationToken.None);
        await factory.Services.GetRequiredService<SourceRegistry>().ReloadAsync(CancellationToken.None);
        using var test = WorkflowEndToEndTests.Staff(HttpMethod.Post, "/api/admin/sources/portal/test");
        test.Content = JsonContent.Create(new { });
        var result = await (await client.SendAsync(test)).JsonAsync();

        Assert.False(result.GetProperty("reachable").GetBoolean());
        Assert.Equal("configuration", result.GetProperty("error").GetString());
        Assert.Contains("connection.secret", result.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, _reads);
    }

    private DataRightsFactory VaultFactory(string token) =>
        new(settings: new Dictionary<string, string?> { ["DataRights:KeyVault:VaultUri"] = VaultUri })
        {
            ConfigureServices = services =>
            {
                services.AddSingleton<TokenCredential>(new StaticToken(token));
                services.AddSingleton(new SecretClientOptions
                {
                    // The fake vault is not under vault.azure.net, and its certificate is the test's own.
                    DisableChallengeResourceVerification = true,
                    Retry = { MaxRetries = 0 },
                    Transport = new HttpClientTransport(new HttpClientHandler
                    {
                        ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == _certificate.Thumbprint,
                    }),
                });
            },
        };

    private async Task<HttpResponseMessage> RegisterAsync(HttpClient client, string reference)
    {
        using var put = WorkflowEndToEndTests.Staff(HttpMethod.Put, "/api/admin/sources/portal");
        put.Content = JsonContent.Create(new
        {
            displayName = "Recording portal", connectorType = "http", access = "read-write", region = "eu-west", identityFields = new[] { "email" },
            connection = new Dictionary<string, string> { ["baseUrl"] = _system.BaseAddress.AbsoluteUri, ["secret"] = reference },
            secretSettings = new[] { "secret" },
            categories = new[] { new { key = "telephony.recording", displayName = "Telephony recording", strategy = "delete" } },
        });
        return await client.SendAsync(put);
    }

    private sealed class StaticToken(string token) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            requestContext.Scopes.SequenceEqual(["https://vault.azure.net/.default"]) ? new AccessToken(token, DateTimeOffset.MaxValue) : throw new InvalidOperationException("Wrong scope.");

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
