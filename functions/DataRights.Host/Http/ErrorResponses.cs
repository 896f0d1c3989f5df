using DataRights.Host.Pages;
using Microsoft.AspNetCore.Diagnostics;

namespace DataRights.Host.Http;

/// <summary>Bodies for bare error status codes: problem+json under /api, a plain page elsewhere.</summary>
public static class ErrorResponses
{
    public static async Task WriteStatusCodePageAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        if (IsApi(http.Request))
        {
            var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = { Status = status, Title = TitleFor(status), Detail = DetailFor(status) },
            });
            return;
        }

        await Layout.WriteAsync(http, TitleFor(status), Layout.Message(TitleFor(status), DetailFor(status)), status);
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
