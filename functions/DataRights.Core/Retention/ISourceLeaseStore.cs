namespace DataRights.Core.Retention;

/// <summary>
/// Leases on data sources (a holder and an expiry), so two instances never purge the same source at
/// once. A holder that dies leaves its lease to expire; taking a lease again renews it.
/// </summary>
public interface ISourceLeaseStore
{
    /// <summary>Takes or renews the lease until <paramref name="now"/> + <paramref name="duration"/>; false while another holder's lease runs.</summary>
    Task<bool> TryAcquireAsync(string sourceKey, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken);

    Task ReleaseAsync(string sourceKey, string holder, CancellationToken cancellationToken);
}
