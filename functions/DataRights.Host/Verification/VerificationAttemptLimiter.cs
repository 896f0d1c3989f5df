using DataRights.Core.Ports;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Verification;

/// <summary>
/// How often details may be given from one email address, across its requests: a sliding window per address (the
/// attempts of the last <see cref="VerificationOptions.AttemptsPerAddressWindow"/>, whenever the day began; until
/// 2026-12-05 a fixed window from midnight UTC, which let twice the limit through across midnight), counted in the
/// pipeline's store (<see cref="IVerificationAttemptCounter"/>) so that every instance shares the count. The address is
/// known there only by its keyed hash. The limit per request is the decider's
/// (<see cref="VerificationOptions.MaxAttemptsPerRequest"/>).
/// </summary>
public sealed class VerificationAttemptLimiter(
    IOptions<VerificationOptions> options, IVerificationAttemptCounter counter, DataPointHasher hasher, TimeProvider time, Http.RateLimitLog log)
{
    /// <summary>Null when one more attempt from this address is allowed now (and counts it); otherwise how long until one is.</summary>
    public async Task<TimeSpan?> TryAcquireAsync(string normalizedEmail, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var allowedAt = await counter.TryCountAsync(hasher.Hash("address", normalizedEmail), now, o.AttemptsPerAddressWindow, o.AttemptsPerAddress, cancellationToken);
        if (allowedAt is not { } at)
        {
            return null;
        }

        log.Refused("verification");
        return at > now ? at - now : TimeSpan.Zero;
    }

    /// <summary>How long to wait, as a person reads it: "in about 5 hours", "in about 20 minutes".</summary>
    public static string InAbout(TimeSpan wait) =>
        wait <= TimeSpan.FromMinutes(1) ? "in a minute"
        : wait < TimeSpan.FromMinutes(90) ? $"in about {(int)Math.Ceiling(wait.TotalMinutes)} minutes"
        : $"in about {(int)Math.Ceiling(wait.TotalHours)} hours";
}
