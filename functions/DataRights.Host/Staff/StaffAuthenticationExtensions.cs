using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;
using Microsoft.IdentityModel.Tokens;

namespace DataRights.Host.Staff;

public static class StaffAuthenticationExtensions
{
    /// <summary>The scheme the staff API authenticates with: a bearer token goes to Entra ID, anything else to the Development header.</summary>
    public const string SchemeName = "Staff";

    /// <summary>
    /// The HttpClient everything Entra ID goes through: OpenID configuration and signing keys, Identity.Web's issuer check
    /// and the approvers' code redemption. Tests give it a handler that trusts their local provider's certificate.
    /// </summary>
    public const string EntraHttpClientName = "DataRights.Entra";

    /// <summary>
    /// Staff API authentication. Microsoft Entra ID bearer tokens (JWT, app roles in <c>roles</c>), validated by
    /// Microsoft.Identity.Web, when <c>DataRights:Entra</c> is configured; in Development also the
    /// <c>X-DataRights-Dev-User</c> header. With neither, every staff call is 401.
    /// </summary>
    public static IServiceCollection AddStaffAuthentication(this IServiceCollection services)
    {
        services.AddOptions<EntraOptions>().BindConfiguration(EntraOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EntraOptions>, EntraOptionsValidator>();
        services.AddOptions<Links.LinksOptions>().BindConfiguration(Links.LinksOptions.Section);
        services.AddHttpClient(EntraHttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.Configure<AadIssuerValidatorOptions>(o => o.HttpClientName = EntraHttpClientName);

        // Registered before AddMicrosoftIdentityWebApi so these run first: Identity.Web then keeps the audiences and
        // issuers given here and adds its own checks (Entra issuer validator, signing-key issuer) around them.
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<EntraOptions>, TimeProvider, IHttpClientFactory>((o, entra, time, http) => ConfigureBearer(o, entra.Value, time, http));
        services.AddOptions<MicrosoftIdentityOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<EntraOptions>>((o, entra) =>
            {
                o.Instance = entra.Value.Instance;
                o.TenantId = entra.Value.TenantId;
                // Identity.Web requires a client id; the audiences it would derive from it are set explicitly above.
                o.ClientId = string.IsNullOrWhiteSpace(entra.Value.ClientId) ? entra.Value.Audience : entra.Value.ClientId;
                // A token without roles is signed in and then refused by the role policies (403), as before, rather
                // than turned away at the door (401) by Identity.Web's "roles or scopes" rule.
                o.AllowWebApiToBeAuthorizedByACL = true;
            });

        var authentication = services.AddAuthentication(SchemeName)
            .AddPolicyScheme(SchemeName, "Staff (Entra ID bearer token, or the Development header)", o =>
            {
                o.ForwardDefaultSelector = context => UsesBearer(context) ? JwtBearerDefaults.AuthenticationScheme : DevUserAuthenticationHandler.SchemeName;
            })
            .AddScheme<AuthenticationSchemeOptions, DevUserAuthenticationHandler>(DevUserAuthenticationHandler.SchemeName, null);
        authentication.AddMicrosoftIdentityWebApi(_ => { }, _ => { }, JwtBearerDefaults.AuthenticationScheme);
        services.AddAuthorizationBuilder()
            .AddPolicy(StaffRoles.ApproverPolicy, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Approver, StaffRoles.Admin))
            .AddPolicy(StaffRoles.AdminPolicy, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Admin));
        return services;
    }

    /// <summary>
    /// Lifetime against the app's clock (DESIGN decision 6), not the library's own reading of the system time; the
    /// configured clock skew applies on both ends.
    /// </summary>
    internal static LifetimeValidator Lifetime(TimeProvider time) => (notBefore, expires, _, parameters) =>
    {
        var now = time.GetUtcNow().UtcDateTime;
        return expires is { } end && now < end.ToUniversalTime() + parameters.ClockSkew
            && (notBefore is not { } start || now >= start.ToUniversalTime() - parameters.ClockSkew);
    };

    /// <summary>Single tenant: the token's <c>tid</c> must be the configured tenant, whatever its issuer says.</summary>
    internal static bool FromTenant(ClaimsPrincipal? principal, EntraOptions entra) =>
        principal?.FindFirst("tid")?.Value is { } tid && string.Equals(tid, entra.TenantId, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// With Entra ID configured, everything but a Development-header request goes to the bearer handler, so a
    /// missing token is challenged with <c>WWW-Authenticate: Bearer</c>. Without it, a bearer token signs nobody in.
    /// </summary>
    private static bool UsesBearer(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<EntraOptions>>().Value.Enabled
        && (context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || !context.Request.Headers.ContainsKey(DevUserAuthenticationHandler.HeaderName));

    private static void ConfigureBearer(JwtBearerOptions o, EntraOptions entra, TimeProvider time, IHttpClientFactory http)
    {
        // Claims keep Entra's names (roles, name, oid): no mapping onto the long WS-Federation URIs.
        o.MapInboundClaims = false;
        // http metadata only for a loopback stand-in of Entra ID (see EntraOptions.IsLoopbackInstance).
        o.RequireHttpsMetadata = !entra.IsLoopbackInstance;
        o.TimeProvider = time;
        o.Backchannel = http.CreateClient(EntraHttpClientName);

        var p = o.TokenValidationParameters;
        // Explicit issuers: Identity.Web's issuer validator accepts these without a metadata round trip.
        p.ValidIssuers = entra.ValidIssuers;
        p.ValidAudiences = entra.ValidAudiences;
        p.ValidateIssuer = true;
        p.ValidateAudience = true;
        p.ValidateLifetime = true;
        p.RequireExpirationTime = true;
        p.RequireSignedTokens = true;
        p.ClockSkew = TimeSpan.FromMinutes(2);
        p.LifetimeValidator = Lifetime(time);
        p.NameClaimType = StaffRoles.NameClaim;
        p.RoleClaimType = StaffRoles.RoleClaim;
        o.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                if (!FromTenant(context.Principal, entra))
                {
                    context.Fail("The token's tenant is not the configured one.");
                    return Task.CompletedTask;
                }

                // The audit trail names the actor: app-only tokens (no "name") are named by their client id.
                if (context.Principal?.Identity is ClaimsIdentity identity && identity.FindFirst(StaffRoles.NameClaim) is null)
                {
                    var app = identity.FindFirst("azp") ?? identity.FindFirst("appid");
                    var who = identity.FindFirst("preferred_username")?.Value ?? (app is null ? identity.FindFirst("oid")?.Value : "app:" + app.Value);
                    if (who is not null)
                    {
                        identity.AddClaim(new Claim(StaffRoles.NameClaim, who));
                    }
                }

                return Task.CompletedTask;
            },
        };
    }
}
