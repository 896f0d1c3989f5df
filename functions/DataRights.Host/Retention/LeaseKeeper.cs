using DataRights.Core.Retention;

namespace DataRights.Host.Retention;

/// <summary>
/// A held source lease, renewed while the work goes on (every third of its duration, not every batch) and
/// released at the end. Losing it (it expired and another instance took it) stops the work on the source.
/// </summary>
public sealed class LeaseKeeper(ISourceLeaseStore leases, string sourceKey, string holder, TimeSpan duration, TimeProvider time)
{
    private DateTimeOffset _renewed = time.GetUtcNow();

    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now - _renewed < duration / 3)
        {
            return;
        }

        if (!await leases.TryAcquireAsync(sourceKey, holder, now, duration, cancellationToken))
        {
            throw new InvalidOperationException("The lease on this source was lost (it expired and another purge took it); stopped here.");
        }

        _renewed = now;
    }

    /// <summary>Releases the lease even when the run is being cancelled; a stopped store leaves it to expire.</summary>
    public async Task ReleaseAsync()
    {
        try
        {
            await leases.ReleaseAsync(sourceKey, holder, CancellationToken.None);
        }
        catch (ObjectDisposedException)
        {
            // The host is shutting down and its database is closed: the lease expires on its own.
        }
    }
}
