using DataRights.Host.Workflow;
using Microsoft.AspNetCore.Diagnostics;

namespace DataRights.Host.Http;

/// <summary>
/// A decision that could not be announced to its request's orchestration was not saved (the task hub refused or was
/// too slow): 503 with Retry-After, as problem+json under /api and a plain page elsewhere, saying nothing was changed.
/// A person's link stays usable, as its use was not recorded.
/// </summary>
public sealed class UnavailableExceptionHandler : IExceptionHandler
{
    public const string Title = "Busy just now";

    public const string Detail = "We could not save this just now. Nothing was changed. Please try again in a minute.";

    /// <summary>Seconds the caller is asked to wait before trying again.</summary>
    public const int RetryAfterSeconds = 30;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not OrchestrationUnavailableException)
        {
            return false;
        }

        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await ErrorResponses.WriteAsync(httpContext, StatusCodes.Status503ServiceUnavailable, Title, Detail);
        return true;
    }
}
