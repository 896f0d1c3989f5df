using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace DataRights.Email.SendGrid;

/// <summary>How long to wait before the next attempt: what SendGrid asked for, else exponential backoff; never above the cap.</summary>
internal static class RetryDelay
{
    /// <summary>
    /// The wait SendGrid asked for: <c>Retry-After</c> (seconds or an HTTP date) on any retryable response, else
    /// <c>X-RateLimit-Reset</c> (unix seconds) on a 429 only, since every response carries that header and a 500
    /// says nothing about the rate-limit window. Null when neither is there or readable.
    /// </summary>
    public static TimeSpan? Requested(HttpStatusCode status, HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta;
            }

            if (retryAfter.Date is { } date)
            {
                return date - now;
            }
        }

        if (status == HttpStatusCode.TooManyRequests
            && headers.TryGetValues("X-RateLimit-Reset", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var resetAt)
            && resetAt <= DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return DateTimeOffset.FromUnixTimeSeconds(resetAt) - now;
        }

        return null;
    }

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based).</summary>
    public static TimeSpan Next(int attempt, TimeSpan? requested, SendGridOptions options)
    {
        // No jitter: the delays stay testable, and the work queue spreads retries that outlast this loop.
        var wait = requested ?? Backoff(attempt, options.InitialRetryDelay, options.MaxRetryDelay);
        if (wait < TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        return wait > options.MaxRetryDelay ? options.MaxRetryDelay : wait;
    }

    private static TimeSpan Backoff(int attempt, TimeSpan initial, TimeSpan max)
    {
        var wait = initial;
        for (var i = 1; i < attempt && wait < max; i++)
        {
            wait += wait;
        }

        return wait;
    }
}
