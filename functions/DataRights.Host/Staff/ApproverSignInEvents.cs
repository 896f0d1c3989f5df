using System.Globalization;
using System.Security.Claims;
using DataRights.Host.Hosting;
using DataRights.Host.Http;
using DataRights.Host.Sources;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace DataRights.Host.Staff;

/// <summary>
/// Our rules on top of Microsoft.Identity.Web's OpenID Connect set-up for approvers: code flow with PKCE only, a
/// redirect address on the public base URL, the sign-in finished within <see cref="ApproverSignIn.CorrelationLifetime"/>
/// on the app's clock, the client secret resolved from its reference only when the code is redeemed, one tenant,
/// only the claims the approval pages need kept, and every refusal shown as a page (never a 500) and logged with a
/// short reason (no personal data).
/// </summary>
public sealed class ApproverSignInEvents(
    IOptions<EntraOptions> entra,
    IOptions<DataRightsOptions> dataRights,
    TimeProvider time,
    IHostEnvironment environment,
    ILogger<ApproverSignIn> logger)
{
    private const string StartedAtKey = "DataRights.StartedAt";
    private const string RefusalKey = "DataRights.SignInRefusal";
    private static readonly string[] KeptClaims = ["name", "preferred_username", "email", "upn", StaffRoles.RoleClaim, "oid", "tid"];

    /// <summary>Applied after Identity.Web has configured the scheme, and before ASP.NET Core completes it.</summary>
    public void Configure(OpenIdConnectOptions o, IHttpClientFactory http)
    {
        var settings = entra.Value;
        o.ResponseType = OpenIdConnectResponseType.Code;
        o.UsePkce = true;
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.Scope.Clear();
        foreach (var scope in new[] { "openid", "profile", "email" })
        {
            o.Scope.Add(scope);
        }

        o.CallbackPath = ApproverSignIn.CallbackPath;
        o.SignInScheme = ApproverSignIn.CookieScheme;
        o.SaveTokens = false;
        o.UseTokenLifetime = false;
        o.GetClaimsFromUserInfoEndpoint = false;
        // Claims keep Entra's names (tid, roles, name). Identity.Web hands the handler a token handler of its own, which
        // the MapInboundClaims setter does not reach: a fresh one is given here.
        o.MapInboundClaims = false;
        o.TokenHandler = new JsonWebTokenHandler { MapInboundClaims = false };
        o.RequireHttpsMetadata = !settings.IsLoopbackInstance;
        o.Backchannel = http.CreateClient(StaffAuthenticationExtensions.EntraHttpClientName);
        o.RemoteAuthenticationTimeout = ApproverSignIn.CorrelationLifetime;
        // The handler's clock only dates the browser's correlation and nonce cookies, which the browser judges by real
        // time; how long a sign-in may take and every token lifetime are checked on the app's clock below.
        o.TimeProvider = TimeProvider.System;
        Cookie(o.CorrelationCookie, ApproverSignIn.CorrelationCookieName);
        Cookie(o.NonceCookie, ApproverSignIn.NonceCookieName);

        var p = o.TokenValidationParameters;
        p.ValidIssuer = settings.Authority;
        p.ValidIssuers = [settings.Authority];
        p.ValidAudience = settings.ClientId;
        p.ValidateIssuer = true;
        p.ValidateAudience = true;
        p.ValidateLifetime = true;
        p.RequireExpirationTime = true;
        p.RequireSignedTokens = true;
        p.ValidAlgorithms = [SecurityAlgorithms.RsaSha256];
        p.ClockSkew = TimeSpan.FromMinutes(2);
        p.LifetimeValidator = StaffAuthenticationExtensions.Lifetime(time);
        p.NameClaimType = StaffRoles.NameClaim;
        p.RoleClaimType = StaffRoles.RoleClaim;

        // Identity.Web's own handlers (telemetry and hints on the way out) run first; ours decide.
        var inner = o.Events;
        o.Events = new OpenIdConnectEvents
        {
            OnRedirectToIdentityProvider = async c =>
            {
                await inner.RedirectToIdentityProvider(c);
                Redirecting(c);
            },
            OnMessageReceived = async c =>
            {
                await inner.MessageReceived(c);
                MessageReceived(c);
            },
            OnAuthorizationCodeReceived = async c =>
            {
                await inner.AuthorizationCodeReceived(c);
                await CodeReceivedAsync(c);
            },
            OnTokenValidated = async c =>
            {
                await inner.TokenValidated(c);
                TokenValidated(c);
            },
            OnTicketReceived = async c =>
            {
                await inner.TicketReceived(c);
                logger.ApproverSignedIn(c.Principal?.FindAll(StaffRoles.RoleClaim).Count() ?? 0);
            },
            OnRemoteFailure = RemoteFailureAsync,
        };
    }

    private void Cookie(CookieBuilder cookie, string name)
    {
        cookie.Name = name;
        cookie.HttpOnly = true;
        // Lax: the callback is a top-level GET navigation from Entra ID, which must carry these cookies.
        cookie.SameSite = SameSiteMode.Lax;
        // Secure always, except plain http in Development (loopback).
        cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        cookie.IsEssential = true;
        cookie.Path = ApproverSignIn.CallbackPath;
    }

    private void Redirecting(RedirectContext c)
    {
        // Behind a proxy the request's own host is not the public one (DataRights:PublicBaseUrl).
        c.ProtocolMessage.RedirectUri = c.HttpContext.PublicBase(dataRights.Value.PublicBaseUrl) + ApproverSignIn.CallbackPath;
        c.Properties.Items[StartedAtKey] = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
    }

    private void MessageReceived(MessageReceivedContext c)
    {
        if (c.Properties?.Items.TryGetValue(StartedAtKey, out var started) != true)
        {
            // No readable state: the handler refuses it next (a changed or foreign state).
            return;
        }

        var now = time.GetUtcNow();
        if (!DateTimeOffset.TryParse(started, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            || now - at > ApproverSignIn.CorrelationLifetime || now < at - TimeSpan.FromMinutes(2))
        {
            Refuse(c.HttpContext, "correlation_expired");
            c.Fail("The sign-in took too long.");
        }
    }

    private async Task CodeReceivedAsync(AuthorizationCodeReceivedContext c)
    {
        // The secret is a reference (env:NAME or keyvault:NAME), read only when a code is redeemed.
        var reference = entra.Value.ClientSecret!;
        var loaded = reference.StartsWith(KeyVaultSecrets.Prefix, StringComparison.Ordinal)
            ? await c.HttpContext.RequestServices.GetRequiredService<KeyVaultSecrets>().LoadAsync([reference], c.HttpContext.RequestAborted)
            : null;
        c.TokenEndpointRequest!.ClientSecret = SecretReferences.Resolve(reference, loaded);
    }

    private void TokenValidated(TokenValidatedContext c)
    {
        if (!StaffAuthenticationExtensions.FromTenant(c.Principal, entra.Value))
        {
            Refuse(c.HttpContext, "wrong_tenant");
            c.Fail("The id_token's tenant is not the configured one.");
            return;
        }

        if (!ApproverSignIn.IsLocalPath(c.Properties?.RedirectUri))
        {
            Refuse(c.HttpContext, "return_url_not_local");
            c.Fail("The return address is not a local path.");
            return;
        }

        // Only what the approval check and the page need is kept in the cookie.
        var claims = c.Principal!.Claims.Where(claim => KeptClaims.Contains(claim.Type)).Select(claim => new Claim(claim.Type, claim.Value));
        c.Principal = new ClaimsPrincipal(new ClaimsIdentity(claims, ApproverSignIn.CookieScheme, StaffRoles.NameClaim, StaffRoles.RoleClaim));
    }

    private async Task RemoteFailureAsync(RemoteFailureContext c)
    {
        c.HandleResponse();
        var failure = c.Failure;
        if (failure is HttpRequestException or TaskCanceledException
            || (failure is InvalidOperationException && failure.InnerException is not null))
        {
            // The tenant's OpenID configuration or token endpoint could not be reached (ConfigurationManager wraps the cause).
            logger.SignInUnavailable(failure.GetType().Name);
            await ApproverSignInEndpoints.Unavailable(c.HttpContext).ExecuteAsync(c.HttpContext);
            return;
        }

        var reason = c.HttpContext.Items[RefusalKey] as string ?? failure switch
        {
            OpenIdConnectProtocolInvalidNonceException => "nonce_mismatch",
            SecurityTokenException => "id_token_invalid",
            OpenIdConnectProtocolException when !string.IsNullOrEmpty(c.Request.Query["error"]) => "provider_error",
            OpenIdConnectProtocolException => "code_exchange_failed",
            _ when c.Properties is null => "state_mismatch",
            _ when failure?.Message == "Correlation failed." => "no_correlation",
            _ => "invalid_response",
        };
        logger.SignInRefused(reason);
        await ApproverSignInEndpoints.Refused(c.HttpContext).ExecuteAsync(c.HttpContext);
    }

    private static void Refuse(HttpContext context, string reason) => context.Items[RefusalKey] = reason;
}
