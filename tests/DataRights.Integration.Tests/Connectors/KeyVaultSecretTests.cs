using System.Net;
using System.Net.Http.Json;
using System.Text;
using Azure.Core;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Integration.Tests.Workflow;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DataRights.Integration.Tests.Connectors;

/// <summary>
/// <c>keyvault:NAME</c> secret references: read from a local fake of the Key Vault REST API that checks
/// the bearer token and API version, exactly as the real one is called; never the network.
/// </summary>
public sealed class KeyVaultSecretTests : IAsyncLifetime
{
    private const string Token = "token-for-tests";
    private WebApplication _vault = null!;
    private FakeContractSystem _system = null!;
    private int _reads;

    public async Task InitializeAsync()
    {
        _system = await FakeContractSystem.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, "http://127.0.0.1:0");
        _vault = builder.Build();
        _vault.MapGet("/secrets/{name}", (string name, HttpContext context) =>
        {
            Interlocked.Increment(ref _reads);
            if (context.Request.Headers.Authorization != "Bearer " + Token || context.Request.Query["api-version"] != "7.4")
            {
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            }

            return name == "portal-secret"
                ? Results.Json(new { value = Encoding.UTF8.GetString(FakeContractSystem.Secret), id = "https://vault/secrets/portal-secret/1" })
                : Results.NotFound();
        });
        await _vault.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _vault.DisposeAsync();
        await _system.DisposeAsync();
    }

    [Theory]
    [InlineData("keyvault:portal-secret", Token, true, null)]
    [InlineData("keyvault:no-such-secret", Token, false, "could not be read from Key Vault")]
    [InlineData("keyvault:portal-secret", "a stolen token", false, "could not be read from Key Vault")]
    public async Task HttpSource_WithAKeyVaultSecret_IsReachableOnlyWhenTheVaultGivesTheSecret(string reference, string token, bool reachable, string? reason)
    {
        var vaultUri = _vault.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?> { ["DataRights:KeyVault:VaultUri"] = vaultUri })
        {
            ConfigureServices = services => services.AddSingleton<TokenCredential>(new StaticToken(token)),
        };
        _system.Clock = factory.Clock;
        using var client = factory.CreateClient();
        using (var put = WorkflowEndToEndTests.Staff(HttpMethod.Put, "/api/admin/sources/portal"))
        {
            put.Content = JsonContent.Create(new
            {
                displayName = "Recording portal", connectorType = "http", access = "read-write", region = "eu-west", identityFields = new[] { "email" },
                connection = new Dictionary<string, string> { ["baseUrl"] = _system.BaseAddress.AbsoluteUri, ["secret"] = reference },
                secretSettings = new[] { "secret" },
                categories = new[] { new { key = "telephony.recording", strategy = "delete" } },
            });
            using var saved = await client.SendAsync(put);
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
        Assert.Equal(0, Database.Scalar(factory.DatabasePath, "SELECT COUNT(*) FROM data_sources WHERE registration LIKE $s", ("$s", "%" + Encoding.UTF8.GetString(FakeContractSystem.Secret) + "%")));
    }

    private sealed class StaticToken(string token) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            requestContext.Scopes.SequenceEqual(["https://vault.azure.net/.default"]) ? new AccessToken(token, DateTimeOffset.MaxValue) : throw new InvalidOperationException("Wrong scope.");

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
