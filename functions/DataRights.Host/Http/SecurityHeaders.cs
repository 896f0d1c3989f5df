namespace DataRights.Host.Http;

/// <summary>
/// Headers on every response: no framing, no sniffing, no Referer (status and action links carry
/// tokens in their path), no caching of pages that show personal data, and a strict CSP.
/// </summary>
public static class SecurityHeaders
{
    private const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static Task Apply(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        if (!context.Request.Path.StartsWithSegments("/assets", StringComparison.Ordinal))
        {
            // The exact values antiforgery sets, so it does not override them and warn on every form.
            headers.CacheControl = "no-cache, no-store";
            headers.Pragma = "no-cache";
        }

        return next();
    }
}
