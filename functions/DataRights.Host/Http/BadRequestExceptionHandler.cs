using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;

namespace DataRights.Host.Http;

/// <summary>
/// Input the framework could not bind (a query value of the wrong type, a body that does not fit the expected
/// shape, a missing body, an unsupported content type, an unreadable form) is the caller's mistake: a 400-class
/// answer naming the field, never a 500.
/// </summary>
public sealed partial class BadRequestExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case BadHttpRequestException bad:
                var (field, message) = Describe(bad);
                await RequestProblems.WriteAsync(httpContext, bad.StatusCode, field, message);
                return true;
            case AntiforgeryValidationException:
                await RequestProblems.WriteAsync(
                    httpContext,
                    StatusCodes.Status400BadRequest,
                    HttpExtensions.CsrfFieldName,
                    "The form could not be read or has expired. Open the page again and send the form from there.");
                return true;
            default:
                return false;
        }
    }

    private static (string Field, string Message) Describe(BadHttpRequestException exception)
    {
        if (exception.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return (JsonBodyGuard.BodyField, "Send the body as JSON with Content-Type: application/json.");
        }

        if (exception.InnerException is JsonException { Path: { Length: > 1 } path })
        {
            return (path.TrimStart('$').TrimStart('.'), "This field has the wrong type or shape for this request.");
        }

        var parameter = Parameter().Match(exception.Message) is { Success: true } match ? match.Groups["name"].Value : JsonBodyGuard.BodyField;
        return exception.Message.Contains("body", StringComparison.OrdinalIgnoreCase) || exception.InnerException is JsonException
            ? (JsonBodyGuard.BodyField, "The request body is missing, or is not a JSON object of the expected shape.")
            : (parameter, "This value has the wrong type or format for this request.");
    }

    // The framework's messages name the parameter as "Type name" or "name" in double quotes.
    [GeneratedRegex("parameter \"(?:[^\" ]+ )?(?<name>[^\" ]+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex Parameter();
}
