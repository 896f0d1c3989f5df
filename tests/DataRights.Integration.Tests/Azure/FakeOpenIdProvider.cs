using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DataRights.Host.Staff;
using DataRights.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DataRights.Integration.Tests.Azure;

/// <summary>
/// A stand-in Entra ID tenant for browser sign-in, on a real loopback port over https with a self-signed certificate made
/// here (Identity.Web fetches the metadata itself for its issuer check, over https as against Entra ID; only the clients
/// given <see cref="TrustingHandler"/> trust it, nothing machine-wide): the OpenID configuration document, the JWKS of an RSA key made here, <c>/authorize</c> (driven
/// by the test: it hands out a code bound to the PKCE challenge, nonce and redirect uri) and <c>/token</c> (checks
/// code, verifier, client secret and redirect uri, and answers an id_token signed with the key). What the next id_token
/// says is set on the properties before the test drives <c>/authorize</c>.
/// </summary>
public sealed class FakeOpenIdProvider : IAsyncDisposable
{
    public const string TenantId = EntraTokens.TenantId;
    public const string ClientId = "3f1b6c2e-8d4a-4e7b-9c10-5a2d7e9f0b31";
    public const string ClientSecret = "fake-provider-client-secret";
    public const string SecretVariable = "DATARIGHTS_TEST_ENTRA_CLIENT_SECRET";

    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RSA _otherRsa = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, Grant> _codes = new(StringComparer.Ordinal);

    private FakeOpenIdProvider(WebApplication app, X509Certificate2 certificate, FakeTimeProvider clock)
    {
        _app = app;
        _certificate = certificate;
        Clock = clock;
    }

    public FakeTimeProvider Clock { get; }

    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>The value for DataRights:Entra:Instance.</summary>
    public string Instance => BaseUrl + "/";

    public string Issuer => BaseUrl + "/" + TenantId + "/v2.0";

    public string[] Roles { get; set; } = [StaffRoles.Approver];

    public string? Email { get; set; } = "approver@example.com";

    public string Name { get; set; } = "Priya Officer";

    public string? AudienceOverride { get; set; }

    public string? NonceOverride { get; set; }

    public string? IssuerOverride { get; set; }

    /// <summary>The <c>tid</c> of the next id_token, when not the tenant's own.</summary>
    public string? TenantOverride { get; set; }

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);

    public bool SignWithOtherKey { get; set; }

    /// <summary>Token requests refused, with why (for the test's messages).</summary>
    public ConcurrentQueue<string> Refusals { get; } = new();

    /// <summary>The last authorize request's parameters.</summary>
    public IReadOnlyDictionary<string, string> LastAuthorize { get; private set; } = new Dictionary<string, string>();

    /// <summary>The settings that point the host at this provider, with sign-in required on approval links.</summary>
    public Dictionary<string, string?> Settings(bool withClientSecret = true) => new()
    {
        ["DataRights:Entra:Instance"] = Instance,
        ["DataRights:Entra:TenantId"] = TenantId,
        ["DataRights:Entra:Audience"] = EntraTokens.Audience,
        ["DataRights:Entra:ClientId"] = ClientId,
        ["DataRights:Entra:ClientSecret"] = withClientSecret ? "env:" + SecretVariable : null,
        ["DataRights:Links:ApproverSignInRequired"] = "true",
    };

    public static async Task<FakeOpenIdProvider> StartAsync(FakeTimeProvider clock)
    {
        Environment.SetEnvironmentVariable(SecretVariable, ClientSecret);
        var certificate = CreateCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var provider = new FakeOpenIdProvider(app, certificate, clock);
        var root = "/" + TenantId;
        app.MapGet(root + "/v2.0/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = provider.Issuer,
            ["authorization_endpoint"] = provider.BaseUrl + root + "/oauth2/v2.0/authorize",
            ["token_endpoint"] = provider.BaseUrl + root + "/oauth2/v2.0/token",
            ["jwks_uri"] = provider.BaseUrl + root + "/discovery/v2.0/keys",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "pairwise" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
        }));
        app.MapGet(root + "/discovery/v2.0/keys", () =>
        {
            var p = provider._rsa.ExportParameters(false);
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", kid = "test-key", alg = "RS256", n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) } } });
        });
        app.MapGet(root + "/oauth2/v2.0/authorize", provider.Authorize);
        app.MapPost(root + "/oauth2/v2.0/token", provider.TokenAsync);
        await app.StartAsync();
        provider.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return provider;
    }

    /// <summary>A handler that trusts this provider's certificate (and only it), for the host's Entra HttpClient.</summary>
    public HttpMessageHandler TrustingHandler(bool allowAutoRedirect = true) => new HttpClientHandler
    {
        AllowAutoRedirect = allowAutoRedirect,
        UseProxy = false,
        ServerCertificateCustomValidationCallback = (_, presented, _, errors) =>
            errors == System.Net.Security.SslPolicyErrors.None || (presented is not null && presented.RawData.AsSpan().SequenceEqual(_certificate.RawData)),
    };

    /// <summary>
    /// Plays the user signing in at the authorize address the host redirected to; returns the host's callback address
    /// (path and query) that the browser would be sent back to.
    /// </summary>
    public async Task<string> AuthorizeAsync(Uri authorize)
    {
        using var client = new HttpClient(TrustingHandler(allowAutoRedirect: false));
        using var response = await client.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.PathAndQuery;
    }

    private IResult Authorize(HttpRequest request)
    {
        var q = request.Query.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        LastAuthorize = q;
        if (q.GetValueOrDefault("client_id") != ClientId || q.GetValueOrDefault("response_type") != "code"
            || q.GetValueOrDefault("code_challenge_method") != "S256" || string.IsNullOrEmpty(q.GetValueOrDefault("code_challenge"))
            || string.IsNullOrEmpty(q.GetValueOrDefault("redirect_uri")) || string.IsNullOrEmpty(q.GetValueOrDefault("state")))
        {
            return Results.BadRequest("invalid_request");
        }

        var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(24));
        _codes[code] = new Grant(q["code_challenge"], q.GetValueOrDefault("nonce") ?? string.Empty, q["redirect_uri"]);
        return Results.Redirect(QueryHelpers.AddQueryString(q["redirect_uri"], new Dictionary<string, string?> { ["code"] = code, ["state"] = q["state"] }));
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        string F(string name) => form[name].ToString();
        string? refusal = null;
        if (F("grant_type") != "authorization_code" || F("client_id") != ClientId)
        {
            refusal = "invalid_request";
        }
        else if (F("client_secret") != ClientSecret)
        {
            refusal = "invalid_client";
        }
        else if (!_codes.TryRemove(F("code"), out var grant))
        {
            // Unknown, or already redeemed: a code is single use.
            refusal = "invalid_grant: code";
        }
        else if (grant.RedirectUri != F("redirect_uri"))
        {
            refusal = "invalid_grant: redirect_uri";
        }
        else if (Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(F("code_verifier")))) != grant.Challenge)
        {
            refusal = "invalid_grant: code_verifier";
        }
        else
        {
            return Results.Json(new Dictionary<string, object>
            {
                ["token_type"] = "Bearer",
                ["expires_in"] = 3600,
                ["access_token"] = "not-used",
                ["id_token"] = IdToken(grant.Nonce),
            });
        }

        Refusals.Enqueue(refusal);
        return Results.Json(new { error = refusal.Split(':')[0] }, statusCode: StatusCodes.Status400BadRequest);
    }

    private string IdToken(string nonce)
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        var claims = new List<Claim>
        {
            new("oid", "00000000-0000-0000-0000-0000000000a1"),
            new("tid", TenantOverride ?? TenantId),
            new("ver", "2.0"),
            new("sub", "approver-subject"),
            new("name", Name),
            new("nonce", NonceOverride ?? nonce),
        };
        claims.AddRange(Roles.Select(r => new Claim("roles", r)));
        if (Email is not null)
        {
            claims.Add(new Claim("preferred_username", Email));
        }

        var key = SignWithOtherKey ? new RsaSecurityKey(_otherRsa) { KeyId = "test-key" } : new RsaSecurityKey(_rsa) { KeyId = "test-key" };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = IssuerOverride ?? Issuer,
            Audience = AudienceOverride ?? ClientId,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.AddHours(-2),
            NotBefore = now.AddHours(-2),
            Expires = now + Lifetime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>Self-signed, for 127.0.0.1 and localhost, valid for a day around the real time (TLS checks the real clock).</summary>
    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = TimeProvider.System.GetUtcNow();
        using var created = request.CreateSelfSigned(now.AddHours(-1), now.AddDays(1));
        // Through PKCS#12 so that Kestrel gets a certificate whose private key it can use on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _certificate.Dispose();
        _rsa.Dispose();
        _otherRsa.Dispose();
    }

    private sealed record Grant(string Challenge, string Nonce, string RedirectUri);
}
