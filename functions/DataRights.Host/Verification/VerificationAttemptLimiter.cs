using DataRights.Core.Ports;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Verification;

/// <summary>
/// How often details may be given from one email address, across its requests: a fixed window per address, counted in
/// the pipeline's store (<see cref="IVerificationAttemptCounter"/>) so that every instance shares the count. The address
/// is known there only by its keyed hash. The limit per request is the decider's
/// (<see cref="VerificationOptions.MaxAttemptsPerRequest"/>).
/// </summary>
public sealed class VerificationAttemptLimiter(
    IOptions<VerificationOptions> options, IVerificationAttemptCounter counter, DataPointHasher hasher, TimeProvider time, Http.RateLimitLog log)
{
    /// <summary>True when one more attempt from this address is allowed now (and counts it).</summary>
    public async Task<bool> TryAcquireAsync(string normalizedEmail, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var window = o.AttemptsPerAddressWindow.Ticks;
        var now = time.GetUtcNow().UtcTicks;
        var windowStart = new DateTimeOffset(now - (now % window), TimeSpan.Zero);
        var counted = await counter.TryCountAsync(hasher.Hash("address", normalizedEmail), windowStart, o.AttemptsPerAddress, cancellationToken);
        if (!counted)
        {
            log.Refused("verification");
        }

        return counted;
    }
}
