using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using DataRights.Host.Hosting;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Requests;

/// <summary>Fixed-window limits per client address and per email address (held as a hash, not the address).</summary>
public sealed class IntakeRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perClient;
    private readonly PartitionedRateLimiter<string> _perEmail;

    private readonly Http.RateLimitLog _log;

    public IntakeRateLimiter(IOptions<DataRightsOptions> options, Http.RateLimitLog log)
    {
        _log = log;
        var o = options.Value.Intake;
        _perClient = Create(o.PerClientPermitLimit, o.PerClientWindow);
        _perEmail = Create(o.PerEmailPermitLimit, o.PerEmailWindow);
    }

    /// <summary>Null when allowed; otherwise how long the client should wait.</summary>
    public TimeSpan? TryAcquireForClient(string? clientAddress) => Logged("client", TryAcquire(_perClient, clientAddress ?? "unknown"));

    public TimeSpan? TryAcquireForEmail(string normalizedEmail) =>
        Logged("email", TryAcquire(_perEmail, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedEmail)))));

    public void Dispose()
    {
        _perClient.Dispose();
        _perEmail.Dispose();
    }

    // One summary line per window and kind, not a line per refusal.
    private TimeSpan? Logged(string kind, TimeSpan? wait)
    {
        if (wait is not null)
        {
            _log.Refused(kind);
        }

        return wait;
    }

    private static TimeSpan? TryAcquire(PartitionedRateLimiter<string> limiter, string key)
    {
        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(60);
    }

    private static PartitionedRateLimiter<string> Create(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(
            key,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true }));
}
