using DataRights.Host.Http;
using DataRights.Host.Pages;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace DataRights.Host.Staff;

/// <summary>
/// <c>/signin</c>, <c>/signin/callback</c> and <c>/signout</c>: browser sign-in of approvers with their work account,
/// on only when <see cref="EntraOptions.BrowserSignInEnabled"/> (404 otherwise). Microsoft.Identity.Web's
/// <c>AddMicrosoftIdentityWebApp</c> runs the OpenID Connect code flow with PKCE (the handler answers the callback
/// itself); the result is an encrypted, HTTP-only, SameSite=Lax cookie that only the approval pages read (never the
/// staff API, which stays bearer-only).
/// </summary>
public static class ApproverSignInEndpoints
{
    /// <summary>
    /// The cookie scheme always (the approval pages ask it); the OpenID Connect scheme only when browser sign-in is
    /// configured, since ASP.NET Core builds every remote scheme's handler on every request to see whether the request
    /// is its callback.
    /// </summary>
    public static IServiceCollection AddApproverSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<ApproverSignIn>();
        var authentication = services.AddAuthentication().AddCookie(ApproverSignIn.CookieScheme);
        services.AddOptions<CookieAuthenticationOptions>(ApproverSignIn.CookieScheme)
            .Configure<IOptions<EntraOptions>, IHostEnvironment, TimeProvider>((o, entra, environment, time) =>
            {
                o.Cookie.Name = ApproverSignIn.CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                // Secure always, except plain http in Development (loopback, and the tests' in-memory server).
                o.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                o.Cookie.IsEssential = true;
                o.ExpireTimeSpan = entra.Value.SignInLifetime;
                o.SlidingExpiration = false;
                o.TimeProvider = time;
                // Nothing challenges this scheme; should anything, it answers 401/403 rather than redirecting.
                o.Events.OnRedirectToLogin = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                };
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            });

        var entra = configuration.GetSection(EntraOptions.Section).Get<EntraOptions>() ?? new EntraOptions();
        if (!entra.BrowserSignInEnabled)
        {
            return services;
        }

        services.AddSingleton<ApproverSignInEvents>();
        services.AddOptions<MicrosoftIdentityOptions>(ApproverSignIn.Scheme)
            .Configure<IOptions<EntraOptions>>((o, options) =>
            {
                o.Instance = options.Value.Instance;
                o.TenantId = options.Value.TenantId;
                o.ClientId = options.Value.ClientId;
                o.ResponseType = OpenIdConnectResponseType.Code;
                o.UsePkce = true;
                o.CallbackPath = ApproverSignIn.CallbackPath;
            });
        // Registered before AddMicrosoftIdentityWebApp, so it runs after Identity.Web's set-up and before ASP.NET Core
        // builds the backchannel and configuration manager from the options.
        services.AddOptions<OpenIdConnectOptions>(ApproverSignIn.Scheme)
            .PostConfigure<ApproverSignInEvents, IHttpClientFactory>((o, events, http) => events.Configure(o, http));
        // No cookie scheme of Identity.Web's own: the sign-in lands in the approval cookie above.
        authentication.AddMicrosoftIdentityWebApp(_ => { }, null, ApproverSignIn.Scheme, cookieScheme: null);
        return services;
    }

    public static IEndpointRouteBuilder MapApproverSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet("/signin", StartAsync).ExcludeFromDescription();
        app.MapGet(ApproverSignIn.CallbackPath, Callback).ExcludeFromDescription();
        app.MapPost("/signout", SignOutAsync).ExcludeFromDescription().DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> StartAsync(HttpContext context, ApproverSignIn signIn, ILogger<ApproverSignIn> logger)
    {
        if (!signIn.Enabled)
        {
            return TypedResults.NotFound();
        }

        var returnUrl = context.Request.Query["returnUrl"].ToString();
        if (!ApproverSignIn.IsLocalPath(returnUrl))
        {
            logger.SignInRefused("return_url_not_local");
            return Refused(context);
        }

        try
        {
            // The handler sets the correlation and nonce cookies and redirects to Entra ID's authorize endpoint.
            await context.ChallengeAsync(ApproverSignIn.Scheme, new AuthenticationProperties { RedirectUri = returnUrl });
            return Results.Empty;
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TaskCanceledException)
        {
            // The tenant's OpenID configuration could not be read (ConfigurationManager wraps the cause).
            logger.SignInUnavailable(e.GetType().Name);
            return Unavailable(context);
        }
    }

    /// <summary>Reached only when browser sign-in is off: otherwise the OpenID Connect handler answers the callback.</summary>
    private static IResult Callback() => TypedResults.NotFound();

    private static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery, ILogger<ApproverSignIn> logger)
    {
        if (await FormPosts.CheckAsync(context, antiforgery) is { } refused)
        {
            return refused;
        }

        await context.SignOutAsync(ApproverSignIn.CookieScheme);
        logger.ApproverSignedOut();
        var returnUrl = context.Request.Form["returnUrl"].ToString();
        return ApproverSignIn.IsLocalPath(returnUrl)
            ? TypedResults.Redirect(returnUrl)
            : Layout.Page(context, "Signed out", Layout.Message("You are signed out", "Your work account is no longer signed in on this site. Close this page, or open the link from your email again."));
    }

    internal static IResult Refused(HttpContext context) => Layout.Page(context, "Sign-in failed", Layout.Message("We could not sign you in",
        "The sign-in was not completed, was changed on the way, or took too long. Nothing was changed. Open the link from your email again and choose to sign in once more."),
        StatusCodes.Status400BadRequest);

    internal static IResult Unavailable(HttpContext context) => Layout.Page(context, "Sign-in unavailable", Layout.Message("Sign-in is not available just now",
        "We could not reach the Microsoft sign-in service. Nothing was changed. Try again in a few minutes, or ask your administrator."),
        StatusCodes.Status503ServiceUnavailable);
}
