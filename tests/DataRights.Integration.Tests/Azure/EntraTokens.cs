using System.Security.Claims;
using System.Security.Cryptography;
using DataRights.Host.Staff;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace DataRights.Integration.Tests.Azure;

/// <summary>
/// A stand-in Entra ID tenant: tokens signed with a local RSA key, and the host's bearer handler pointed at that key
/// through a static OpenID Connect configuration, so nothing is fetched from the network.
/// </summary>
public sealed class EntraTokens : IDisposable
{
    public const string TenantId = "7d3c1a9e-4b0f-4c2d-9a51-0e6f5b8c2d17";
    public const string Audience = "api://datarights-test";
    public const string Issuer = "https://login.microsoftonline.com/" + TenantId + "/v2.0";

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RSA _otherRsa = RSA.Create(2048);

    public EntraTokens(FakeTimeProvider clock)
    {
        Clock = clock;
        Key = new RsaSecurityKey(_rsa) { KeyId = "test-key" };
    }

    public FakeTimeProvider Clock { get; }

    public RsaSecurityKey Key { get; }

    public static Dictionary<string, string?> Settings(IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["DataRights:Entra:TenantId"] = TenantId,
            ["DataRights:Entra:Audience"] = Audience,
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>A factory whose bearer handler trusts <see cref="Key"/> for <see cref="Issuer"/>.</summary>
    public DataRightsFactory Factory(string environment = "Production", IDictionary<string, string?>? settings = null) =>
        new(environment, Settings(settings), clock: Clock)
        {
            Sources = new InMemorySourceRegistry(),
            ConfigureServices = services =>
            {
                services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
                {
                    var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
                    configuration.SigningKeys.Add(Key);
                    o.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
                });
                // Identity.Web's issuer check asks the tenant's metadata about an issuer it does not know: answered
                // here with a 404 (so refused), never by the network.
                services.AddHttpClient(StaffAuthenticationExtensions.EntraHttpClientName).ConfigurePrimaryHttpMessageHandler(() => new NoNetwork());
            },
        };

    public string Create(
        string[] roles,
        string? name = "Priya Officer",
        string? email = "approver@example.com",
        string issuer = Issuer,
        string audience = Audience,
        TimeSpan? expiresIn = null,
        bool wrongKey = false,
        string tenant = TenantId,
        IReadOnlyDictionary<string, string>? extra = null)
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        var claims = new List<Claim> { new("oid", "00000000-0000-0000-0000-0000000000a1"), new("tid", tenant), new("ver", "2.0") };
        claims.AddRange(roles.Select(r => new Claim("roles", r)));
        if (name is not null)
        {
            claims.Add(new Claim("name", name));
        }

        if (email is not null)
        {
            claims.Add(new Claim("preferred_username", email));
        }

        claims.AddRange((extra ?? new Dictionary<string, string>()).Select(e => new Claim(e.Key, e.Value)));

        var lifetime = expiresIn ?? TimeSpan.FromHours(1);
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.AddHours(-2),
            NotBefore = now.AddHours(-2),
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(
                wrongKey ? new RsaSecurityKey(_otherRsa) { KeyId = "test-key" } : Key, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    private sealed class NoNetwork : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.NotFound) { RequestMessage = request });
    }

    public void Dispose()
    {
        _rsa.Dispose();
        _otherRsa.Dispose();
    }
}
