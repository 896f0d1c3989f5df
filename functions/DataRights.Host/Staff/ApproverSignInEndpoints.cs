using DataRights.Host.Hosting;
using DataRights.Host.Http;
using DataRights.Host.Pages;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Staff;

/// <summary>
/// <c>/signin</c>, <c>/signin/callback</c> and <c>/signout</c>: browser sign-in of approvers with their work account,
/// on only when <see cref="EntraOptions.BrowserSignInEnabled"/> (404 otherwise). The result is an encrypted,
/// HTTP-only, SameSite=Lax cookie that only the approval pages read (never the staff API, which stays bearer-only).
/// </summary>
public static class ApproverSignInEndpoints
{
    public static IServiceCollection AddApproverSignIn(this IServiceCollection services)
    {
        services.AddHttpClient("entra-signin", c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<ApproverSignIn>();
        services.AddAuthentication().AddCookie(ApproverSignIn.CookieScheme);
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
        return services;
    }

    public static IEndpointRouteBuilder MapApproverSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet("/signin", StartAsync).ExcludeFromDescription();
        app.MapGet(ApproverSignIn.CallbackPath, CallbackAsync).ExcludeFromDescription();
        app.MapPost("/signout", SignOutAsync).ExcludeFromDescription().DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> StartAsync(HttpContext context, ApproverSignIn signIn, IOptions<DataRightsOptions> options, ILogger<ApproverSignIn> logger)
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
            return TypedResults.Redirect(await signIn.StartAsync(context, RedirectUri(context, options.Value), returnUrl));
        }
        catch (InvalidOperationException e)
        {
            // The tenant's OpenID configuration could not be read (ConfigurationManager wraps the cause).
            logger.SignInUnavailable(e.GetType().Name);
            return Unavailable(context);
        }
    }

    private static async Task<IResult> CallbackAsync(HttpContext context, ApproverSignIn signIn, IOptions<DataRightsOptions> options, ILogger<ApproverSignIn> logger)
    {
        if (!signIn.Enabled)
        {
            return TypedResults.NotFound();
        }

        SignInOutcome outcome;
        try
        {
            outcome = await signIn.CompleteAsync(context, RedirectUri(context, options.Value));
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            logger.SignInUnavailable(e.GetType().Name);
            return Unavailable(context);
        }

        if (outcome.Principal is null)
        {
            logger.SignInRefused(outcome.RefusedBecause ?? "unknown");
            return Refused(context);
        }

        await context.SignInAsync(ApproverSignIn.CookieScheme, outcome.Principal);
        logger.ApproverSignedIn(outcome.Principal.FindAll(StaffRoles.RoleClaim).Count());
        return TypedResults.Redirect(outcome.ReturnUrl!);
    }

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

    private static string RedirectUri(HttpContext context, DataRightsOptions options) =>
        context.PublicBase(options.PublicBaseUrl) + ApproverSignIn.CallbackPath;

    private static IResult Refused(HttpContext context) => Layout.Page(context, "Sign-in failed", Layout.Message("We could not sign you in",
        "The sign-in was not completed, was changed on the way, or took too long. Nothing was changed. Open the link from your email again and choose to sign in once more."),
        StatusCodes.Status400BadRequest);

    private static IResult Unavailable(HttpContext context) => Layout.Page(context, "Sign-in unavailable", Layout.Message("Sign-in is not available just now",
        "We could not reach the Microsoft sign-in service. Nothing was changed. Try again in a few minutes, or ask your administrator."),
        StatusCodes.Status503ServiceUnavailable);
}
