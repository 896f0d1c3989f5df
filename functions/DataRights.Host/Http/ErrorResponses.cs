using DataRights.Host.Pages;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Http;

/// <summary>Bodies for bare error status codes: problem+json under /api, a plain page elsewhere.</summary>
public static class ErrorResponses
{
    public static Task WriteStatusCodePageAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        var detail = IsApi(http.Request) && status == StatusCodes.Status401Unauthorized ? HowToSignIn(http) : DetailFor(status);
        return WriteAsync(http, status, TitleFor(status), detail);
    }

    /// <summary>An error answer with <paramref name="status"/>: problem+json under /api, a plain page with the same words elsewhere.</summary>
    public static async Task WriteAsync(HttpContext http, int status, string title, string detail)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (IsApi(http.Request))
        {
            http.Response.StatusCode = status;
            var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = { Status = status, Title = title, Detail = detail },
            });
            return;
        }

        await Layout.WriteAsync(http, title, Layout.Message(title, detail), status);
    }

    /// <summary>What a caller of the staff API sends to be signed in, on this installation.</summary>
    public static string HowToSignIn(HttpContext http)
    {
        var entra = http.RequestServices.GetRequiredService<IOptions<Staff.EntraOptions>>().Value.Enabled;
        var dev = Hosting.DevSignIn.IsOn(http.RequestServices.GetRequiredService<IHostEnvironment>(), http.RequestServices.GetRequiredService<IConfiguration>());
        var how = entra
            ? "This needs a signed-in member of the privacy team: send an access token from Microsoft Entra ID for this app in the header "
              + "\"Authorization: Bearer <token>\", from an account with the DataRights.Approver or DataRights.Admin role."
            : "This needs a signed-in member of the privacy team, and staff sign-in with Microsoft Entra ID is not set up here "
              + "(DataRights:Entra:TenantId and Audience).";
        return dev ? how + " For the local try-out, send the header \"X-DataRights-Dev-User: <your name>\" instead." : how;
    }

    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api", StringComparison.Ordinal);

    private static string TitleFor(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "Sign-in required",
        StatusCodes.Status403Forbidden => "Not allowed",
        StatusCodes.Status404NotFound => "Page not found",
        StatusCodes.Status405MethodNotAllowed => "Method not allowed",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported content type",
        _ => "Something went wrong",
    };

    private static string DetailFor(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "This needs a signed-in staff account.",
        StatusCodes.Status403Forbidden => "Your account does not have the role this needs.",
        StatusCodes.Status404NotFound => "There is nothing at this address. If you followed a link, check it was copied in full.",
        StatusCodes.Status405MethodNotAllowed => "This address does not accept that kind of request.",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON with Content-Type: application/json.",
        _ => "Please try again later.",
    };
}
