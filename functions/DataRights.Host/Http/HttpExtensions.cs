using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Http;

public static class HttpExtensions
{
    public const string CsrfFieldName = "__csrf";

    public static IServiceCollection AddDataRightsHttp(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<UnavailableExceptionHandler>();
        // Binding failures throw in every environment, so the handler above names the field (otherwise Production
        // answers a bare 400).
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        // Enums (in request progress) as snake_case strings, like every other wire name.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(
            new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.SnakeCaseLower)));
        services.AddAntiforgery(o =>
        {
            o.FormFieldName = CsrfFieldName;
            o.Cookie.Name = "DataRights.Csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddOpenApi();
        // No Server header: it tells a prober the exact stack for free.
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.AddServerHeader = false);
        services.AddOptions<ForwardedHeadersSettingsOptions>().BindConfiguration(ForwardedHeadersSettingsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ForwardedHeadersSettingsOptions>, ForwardedHeadersSettingsValidator>();
        // PostConfigure: applied last, so the Functions worker's ASP.NET Core integration (which configures
        // ForwardedHeaders.All for its own outer pipeline) cannot widen what is believed.
        services.AddOptions<ForwardedHeadersOptions>().PostConfigure<IOptions<ForwardedHeadersSettingsOptions>>((o, settings) =>
        {
            // Only what is configured: not even the loopback defaults are believed unless named.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            o.ForwardLimit = settings.Value.ForwardLimit;
            foreach (var proxy in settings.Value.KnownProxies)
            {
                o.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }

            foreach (var network in settings.Value.KnownNetworks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        // Antiforgery tokens must survive a restart and work across instances: the key ring is kept on Table storage
        // (AddAzureTableStores sets its repository).
        services.AddDataProtection().SetApplicationName("DataRights");
        return services;
    }

    public static IApplicationBuilder UseDataRightsHttp(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // First, so every later step (rate limits, links built from the request) sees the real caller.
        if (app.ApplicationServices.GetRequiredService<IOptions<ForwardedHeadersSettingsOptions>>().Value.Enabled)
        {
            app.UseForwardedHeaders();
        }

        app.UseExceptionHandler();
        app.Use(SecurityHeaders.Apply);
        app.Use(JsonBodyGuard.InvokeAsync);
        app.UseStatusCodePages(ErrorResponses.WriteStatusCodePageAsync);
        return app;
    }

    /// <summary>The OpenAPI document: open in Development, for signed-in staff only elsewhere.</summary>
    public static IEndpointRouteBuilder MapDataRightsOpenApi(this IEndpointRouteBuilder app)
    {
        var document = app.MapOpenApi();
        if (!app.ServiceProvider.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            document.RequireAuthorization(Staff.StaffRoles.ApproverPolicy);
        }

        return app;
    }

    /// <summary>The base of absolute links: configured, or taken from the request.</summary>
    public static string PublicBase(this HttpContext context, string? configured) =>
        !string.IsNullOrEmpty(configured)
            ? configured.TrimEnd('/')
            : $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";
}
