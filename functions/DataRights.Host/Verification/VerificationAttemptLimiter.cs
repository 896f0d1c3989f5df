using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Verification;

/// <summary>
/// How often details may be given from one email address (held as a hash, not the address), across its requests: a
/// fixed window per address. The limit per request is the decider's (<see cref="VerificationOptions.MaxAttemptsPerRequest"/>).
/// </summary>
public sealed class VerificationAttemptLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perAddress;
    private readonly Http.RateLimitLog _log;

    public VerificationAttemptLimiter(IOptions<VerificationOptions> options, Http.RateLimitLog log)
    {
        _log = log;
        var o = options.Value;
        _perAddress = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(
            key,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = o.AttemptsPerAddress, Window = o.AttemptsPerAddressWindow, QueueLimit = 0, AutoReplenishment = true }));
    }

    /// <summary>True when one more attempt from this address is allowed now (and counts it).</summary>
    public bool TryAcquire(string normalizedEmail)
    {
        using var lease = _perAddress.AttemptAcquire(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("verification\n" + normalizedEmail))));
        if (!lease.IsAcquired)
        {
            _log.Refused("verification");
        }

        return lease.IsAcquired;
    }

    public void Dispose() => _perAddress.Dispose();
}
