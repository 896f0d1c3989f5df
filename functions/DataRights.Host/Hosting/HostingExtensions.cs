using System.Globalization;
using DataRights.Core.Deadlines;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Hosting;

public static class HostingExtensions
{
    public const int DefaultPort = 7071;

    /// <summary>Stand-alone, the program listens on http://localhost:7071 unless --urls or ASPNETCORE_URLS says otherwise.</summary>
    public static WebApplicationBuilder UseDataRightsUrls(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (DevSignIn.IsOn(builder.Environment, builder.Configuration) && builder.Configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } urls
            && NotThisMachineOnly(urls) is { } open)
        {
            // The development sign-in lets whoever reaches the program act as staff, and /dev/mail shows every emailed link.
            throw new InvalidOperationException(
                $"The development sign-in ({DevSignIn.Setting}) lets anyone who can reach the program act as staff, so it only listens on this machine. "
                + $"{open} is reachable from other machines: listen on localhost, 127.0.0.1 or [::1], or set {DevSignIn.Setting}=false and sign staff in with Entra ID.");
        }

        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://localhost:{DefaultPort}"));
        }
        else if (builder.Environment.IsDevelopment() && string.IsNullOrEmpty(builder.Configuration[PublicBaseUrlSetting])
            && LinkAddress(builder.Configuration[WebHostDefaults.ServerUrlsKey]!) is { } listening)
        {
            // Trying it out on another address (--urls): emailed links point where the program listens. Deployments set PublicBaseUrl.
            builder.Configuration.AddInMemoryCollection([new(PublicBaseUrlSetting, listening)]);
        }

        return builder;
    }

    private const string PublicBaseUrlSetting = DataRightsOptions.Section + ":" + nameof(DataRightsOptions.PublicBaseUrl);

    /// <summary>The first address of a <c>--urls</c> list that other machines may reach (not localhost or a loopback address); null when none.</summary>
    public static string? NotThisMachineOnly(string urls)
    {
        ArgumentNullException.ThrowIfNull(urls);
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = url.IndexOf("://", StringComparison.Ordinal);
            var rest = at < 0 ? url : url[(at + 3)..];
            var host = rest.StartsWith('[') ? rest[..(rest.IndexOf(']', StringComparison.Ordinal) + 1)] : rest[..(rest.IndexOfAny([':', '/']) is >= 0 and var end ? end : rest.Length)];
            var loopback = string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
                || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));
            if (!loopback)
            {
                return url;
            }
        }

        return null;
    }

    /// <summary>The first http(s) address of a <c>--urls</c> list as a browser reaches it (a wildcard host is this machine).</summary>
    public static string? LinkAddress(string urls)
    {
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || u.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
        if (first is null)
        {
            return null;
        }

        var scheme = first[..(first.IndexOf("://", StringComparison.Ordinal) + 3)];
        var rest = first[scheme.Length..];
        var hostLength = rest.StartsWith('[') ? rest.IndexOf(']', StringComparison.Ordinal) + 1 : rest.IndexOfAny([':', '/']) is >= 0 and var end ? end : rest.Length;
        var host = rest[..hostLength];
        var local = host is "*" or "+" or "0.0.0.0" or "[::]" ? "localhost" : host;
        return (scheme + local + rest[hostLength..]).TrimEnd('/');
    }

    public static IServiceCollection AddDataRightsOptions(this IServiceCollection services)
    {
        services.AddOptions<DataRightsOptions>()
            .BindConfiguration(DataRightsOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DataRightsOptions>, DataRightsOptionsValidator>();
        services.AddSingleton<IValidateOptions<DataRightsOptions>, DeploymentSettingsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => DeadlineConfiguration.BuildRegimes(sp.GetRequiredService<IOptions<DataRightsOptions>>().Value.Deadlines));
        services.AddSingleton(sp => new DeadlineCalculator(
            DeadlineConfiguration.BuildCalendars(sp.GetRequiredService<IOptions<DataRightsOptions>>().Value.Deadlines)));
        return services;
    }

    /// <summary>Tells the person starting the program where to point a browser.</summary>
    public static void PrintStartupUrls(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var options = app.Services.GetRequiredService<IOptions<DataRightsOptions>>().Value;
            foreach (var address in addresses)
            {
                var root = address.TrimEnd('/');
                app.Logger.Listening(root + "/", root + "/api/requests", root + "/openapi/v1.json", root + "/healthz");
                if (DevSignIn.IsOn(app.Environment, app.Configuration) && app.Services.GetService<DataRights.Core.Email.IEmailSender>() is Email.CopyKeepingEmailSender { Inner: Email.FileMailOutbox })
                {
                    app.Logger.LocalMail(root + "/dev/mail");
                }
            }

            app.Logger.DataFolder(Path.GetFullPath(options.DataDirectory));
        });
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" })).ExcludeFromDescription();
        return app;
    }
}
