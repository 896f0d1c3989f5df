using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DataRights.Host.Sources;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace DataRights.Host.Staff;

/// <summary>
/// Browser sign-in of approvers against Microsoft Entra ID: OpenID Connect authorization code flow with PKCE (S256),
/// state and nonce kept in a short-lived, data-protected correlation cookie, the code exchanged with the client
/// secret, and the id_token validated here (signature against the tenant's keys, issuer, audience, lifetime on the
/// app's clock, nonce). Written by hand because Microsoft.AspNetCore.Authentication.OpenIdConnect does not restore here.
/// </summary>
public sealed class ApproverSignIn
{
    public const string CookieScheme = "ApproverCookie";
    public const string CookieName = "DataRights.Approver";
    public const string CorrelationCookieName = "DataRights.SignIn";
    public const string CallbackPath = "/signin/callback";

    /// <summary>How long a started sign-in may take before its correlation cookie is refused.</summary>
    public static readonly TimeSpan CorrelationLifetime = TimeSpan.FromMinutes(10);

    private static readonly string[] KeptClaims = ["name", "preferred_username", "email", "upn", StaffRoles.RoleClaim, "oid", "tid"];
    private readonly IOptions<EntraOptions> _entra;
    private readonly IHttpClientFactory _http;
    private readonly KeyVaultSecrets _vault;
    private readonly TimeProvider _time;
    private readonly IDataProtector _protector;
    private readonly Lazy<ConfigurationManager<OpenIdConnectConfiguration>> _configuration;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _usedStates = new(StringComparer.Ordinal);

    public ApproverSignIn(IOptions<EntraOptions> entra, IHttpClientFactory http, KeyVaultSecrets vault, TimeProvider time, IDataProtectionProvider protection)
    {
        _entra = entra;
        _http = http;
        _vault = vault;
        _time = time;
        _protector = protection.CreateProtector("DataRights.ApproverSignIn.Correlation");
        _configuration = new Lazy<ConfigurationManager<OpenIdConnectConfiguration>>(() =>
        {
            var options = _entra.Value;
            // https only, except a loopback stand-in of Entra ID (EntraOptions.IsLoopbackInstance), as the tests use.
            var retriever = new HttpDocumentRetriever(_http.CreateClient("entra-signin")) { RequireHttps = !options.IsLoopbackInstance };
            return new ConfigurationManager<OpenIdConnectConfiguration>(
                options.Authority + "/.well-known/openid-configuration", new OpenIdConnectConfigurationRetriever(), retriever);
        });
    }

    public bool Enabled => _entra.Value.BrowserSignInEnabled;

    /// <summary>A local path on this site (<c>/approve/...</c>), never another host: protects against open redirects.</summary>
    public static bool IsLocalPath(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl)
        && returnUrl.Length <= 2048
        && returnUrl[0] == '/'
        && (returnUrl.Length == 1 || (returnUrl[1] != '/' && returnUrl[1] != '\\'))
        && !returnUrl.Any(c => char.IsControl(c) || c == '\\')
        && Uri.TryCreate(returnUrl, UriKind.Relative, out _);

    /// <summary>The approver signed in with the browser cookie, or null.</summary>
    public static async Task<ClaimsPrincipal?> SignedInAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(CookieScheme);
        return result.Principal is { Identity.IsAuthenticated: true } user ? user : null;
    }

    /// <summary>Starts a sign-in: the correlation cookie is set and the address of Entra ID's authorize endpoint returned.</summary>
    public async Task<string> StartAsync(HttpContext context, string redirectUri, string returnUrl)
    {
        var configuration = await _configuration.Value.GetConfigurationAsync(context.RequestAborted);
        var correlation = new SignInCorrelation(Random(), Random(), Random(), returnUrl, _time.GetUtcNow());
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(correlation.CodeVerifier)));
        context.Response.Cookies.Append(CorrelationCookieName, _protector.Protect(JsonSerializer.Serialize(correlation)), CorrelationCookie(context));
        var query = new Dictionary<string, string?>
        {
            ["client_id"] = _entra.Value.ClientId,
            ["response_type"] = "code",
            ["response_mode"] = "query",
            ["redirect_uri"] = redirectUri,
            ["scope"] = "openid profile email",
            ["state"] = correlation.State,
            ["nonce"] = correlation.Nonce,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(configuration.AuthorizationEndpoint, query);
    }

    /// <summary>
    /// Finishes a sign-in from the callback: the cookie principal and where to go back to, or the reason it was refused
    /// (a short code for the logs, no personal data). The correlation cookie is spent either way.
    /// </summary>
    public async Task<SignInOutcome> CompleteAsync(HttpContext context, string redirectUri)
    {
        var query = context.Request.Query;
        var protectedCorrelation = context.Request.Cookies[CorrelationCookieName];
        context.Response.Cookies.Delete(CorrelationCookieName, CorrelationCookie(context));
        if (!string.IsNullOrEmpty(query["error"]))
        {
            return SignInOutcome.Refused("provider_error");
        }

        if (ReadCorrelation(protectedCorrelation) is not { } correlation)
        {
            return SignInOutcome.Refused("no_correlation");
        }

        var now = _time.GetUtcNow();
        var state = query["state"].ToString();
        if (now - correlation.StartedAt > CorrelationLifetime || now < correlation.StartedAt - TimeSpan.FromMinutes(2))
        {
            return SignInOutcome.Refused("correlation_expired");
        }

        if (!FixedEquals(state, correlation.State))
        {
            return SignInOutcome.Refused("state_mismatch");
        }

        // Single use: the same correlation cookie and state cannot finish a second sign-in on this instance.
        foreach (var (old, at) in _usedStates)
        {
            if (now - at > CorrelationLifetime)
            {
                _usedStates.TryRemove(old, out _);
            }
        }

        if (!_usedStates.TryAdd(correlation.State, now))
        {
            return SignInOutcome.Refused("state_replayed");
        }

        var code = query["code"].ToString();
        if (code.Length is 0 or > 4096)
        {
            return SignInOutcome.Refused("no_code");
        }

        var configuration = await _configuration.Value.GetConfigurationAsync(context.RequestAborted);
        var idToken = await ExchangeAsync(configuration, code, correlation.CodeVerifier, redirectUri, context.RequestAborted);
        if (idToken is null)
        {
            return SignInOutcome.Refused("code_exchange_failed");
        }

        var validated = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(idToken, Parameters(configuration));
        if (!validated.IsValid || validated.ClaimsIdentity is not { } identity)
        {
            return SignInOutcome.Refused("id_token_invalid");
        }

        if (!FixedEquals(identity.FindFirst("nonce")?.Value ?? string.Empty, correlation.Nonce))
        {
            return SignInOutcome.Refused("nonce_mismatch");
        }

        // Only what the approval check and the page need is kept in the cookie.
        var kept = new ClaimsIdentity(identity.Claims.Where(c => KeptClaims.Contains(c.Type)).Select(c => new Claim(c.Type, c.Value)),
            CookieScheme, StaffRoles.NameClaim, StaffRoles.RoleClaim);
        return new SignInOutcome(new ClaimsPrincipal(kept), correlation.ReturnUrl, null);
    }

    public CookieOptions CorrelationCookie(HttpContext context) => new()
    {
        HttpOnly = true,
        // Lax: the callback is a top-level GET navigation from Entra ID, which must carry this cookie.
        SameSite = SameSiteMode.Lax,
        Secure = context.Request.IsHttps || !context.RequestServices.GetRequiredService<IHostEnvironment>().IsDevelopment(),
        Path = "/signin",
        IsEssential = true,
        MaxAge = CorrelationLifetime,
    };

    private TokenValidationParameters Parameters(OpenIdConnectConfiguration configuration) => new()
    {
        ValidIssuer = _entra.Value.Authority,
        ValidAudience = _entra.Value.ClientId,
        IssuerSigningKeys = configuration.SigningKeys,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        ClockSkew = TimeSpan.FromMinutes(2),
        // Lifetime against the app's clock (DESIGN decision 6).
        LifetimeValidator = (notBefore, expires, _, parameters) =>
        {
            var now = _time.GetUtcNow().UtcDateTime;
            return expires is { } end && now < end.ToUniversalTime() + parameters.ClockSkew
                && (notBefore is not { } start || now >= start.ToUniversalTime() - parameters.ClockSkew);
        },
        NameClaimType = StaffRoles.NameClaim,
        RoleClaimType = StaffRoles.RoleClaim,
    };

    private async Task<string?> ExchangeAsync(OpenIdConnectConfiguration configuration, string code, string verifier, string redirectUri, CancellationToken cancellationToken)
    {
        var reference = _entra.Value.ClientSecret!;
        var loaded = reference.StartsWith(KeyVaultSecrets.Prefix, StringComparison.Ordinal)
            ? await _vault.LoadAsync([reference], cancellationToken)
            : null;
        var secret = SecretReferences.Resolve(reference, loaded);
        using var client = _http.CreateClient("entra-signin");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["client_id"] = _entra.Value.ClientId!,
            ["client_secret"] = secret,
            ["code_verifier"] = verifier,
            ["scope"] = "openid profile email",
        });
        using var response = await client.PostAsync(configuration.TokenEndpoint, form, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        return body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("id_token", out var token) && token.ValueKind == JsonValueKind.String
            ? token.GetString()
            : null;
    }

    private SignInCorrelation? ReadCorrelation(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<SignInCorrelation>(_protector.Unprotect(value)) is { } c && IsLocalPath(c.ReturnUrl) ? c : null;
        }
        catch (CryptographicException)
        {
            // Changed, or protected with a key this app does not hold: not ours.
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Random() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
