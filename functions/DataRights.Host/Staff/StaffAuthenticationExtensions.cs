using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Staff;

public static class StaffAuthenticationExtensions
{
    /// <summary>The scheme the staff API authenticates with: a bearer token goes to Entra ID, anything else to the Development header.</summary>
    public const string SchemeName = "Staff";

    /// <summary>
    /// Staff API authentication. Microsoft Entra ID bearer tokens (JWT, app roles in <c>roles</c>) when
    /// <c>DataRights:Entra</c> is configured; in Development also the <c>X-DataRights-Dev-User</c> header.
    /// With neither, every staff call is 401.
    /// </summary>
    public static IServiceCollection AddStaffAuthentication(this IServiceCollection services)
    {
        services.AddOptions<EntraOptions>().BindConfiguration(EntraOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EntraOptions>, EntraOptionsValidator>();
        services.AddOptions<Links.LinksOptions>().BindConfiguration(Links.LinksOptions.Section);
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<EntraOptions>, TimeProvider>((o, entra, time) => ConfigureBearer(o, entra.Value, time));

        services.AddAuthentication(SchemeName)
            .AddPolicyScheme(SchemeName, "Staff (Entra ID bearer token, or the Development header)", o =>
            {
                o.ForwardDefaultSelector = context => UsesBearer(context) ? JwtBearerDefaults.AuthenticationScheme : DevUserAuthenticationHandler.SchemeName;
            })
            .AddJwtBearer()
            .AddScheme<AuthenticationSchemeOptions, DevUserAuthenticationHandler>(DevUserAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(StaffRoles.ApproverPolicy, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Approver, StaffRoles.Admin))
            .AddPolicy(StaffRoles.AdminPolicy, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Admin));
        return services;
    }

    /// <summary>
    /// With Entra ID configured, everything but a Development-header request goes to the bearer handler, so a
    /// missing token is challenged with <c>WWW-Authenticate: Bearer</c>. Without it, a bearer token signs nobody in.
    /// </summary>
    private static bool UsesBearer(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<EntraOptions>>().Value.Enabled
        && (context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || !context.Request.Headers.ContainsKey(DevUserAuthenticationHandler.HeaderName));

    private static void ConfigureBearer(JwtBearerOptions o, EntraOptions entra, TimeProvider time)
    {
        // Claims keep Entra's names (roles, name, oid): no mapping onto the long WS-Federation URIs.
        o.MapInboundClaims = false;
        // http metadata only for a loopback stand-in of Entra ID (see EntraOptions.IsLoopbackInstance).
        o.RequireHttpsMetadata = !entra.IsLoopbackInstance;
        o.TimeProvider = time;
        if (entra.Enabled)
        {
            o.Authority = entra.Authority;
        }

        var p = o.TokenValidationParameters;
        p.ValidIssuers = entra.ValidIssuers;
        p.ValidAudiences = entra.ValidAudiences;
        p.ValidateIssuer = true;
        p.ValidateAudience = true;
        p.ValidateLifetime = true;
        p.RequireExpirationTime = true;
        p.RequireSignedTokens = true;
        p.ClockSkew = TimeSpan.FromMinutes(2);
        // Lifetime against the app's clock (DESIGN decision 6), not the library's own reading of the system time.
        p.LifetimeValidator = (notBefore, expires, _, parameters) =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            return expires is { } end && now < end.ToUniversalTime() + parameters.ClockSkew
                && (notBefore is not { } start || now >= start.ToUniversalTime() - parameters.ClockSkew);
        };
        p.NameClaimType = StaffRoles.NameClaim;
        p.RoleClaimType = StaffRoles.RoleClaim;
        o.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
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
