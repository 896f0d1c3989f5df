namespace DataRights.Core.Retention;

/// <summary>Where each region's retention policy lives, so staff can change it at run time; every change is audited.</summary>
public interface IRetentionPolicyStore
{
    Task<IReadOnlyList<StoredRetentionPolicy>> ListAsync(CancellationToken cancellationToken);

    Task<StoredRetentionPolicy?> GetAsync(string region, CancellationToken cancellationToken);

    /// <summary>Creates or replaces the region's policy and records the change in the retention audit chain, in one transaction.</summary>
    Task SaveAsync(RetentionPolicy policy, string actor, DateTimeOffset at, CancellationToken cancellationToken);
}
