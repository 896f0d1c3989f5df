namespace DataRights.Core.Sources.Registry;

/// <summary>Where registrations live, so staff can change them at run time and every change is recorded.</summary>
public interface ISourceRegistrationStore
{
    Task<IReadOnlyList<StoredRegistration>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Creates or replaces the registration with its key, active.</summary>
    Task SaveAsync(SourceRegistration registration, string actor, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Stops requests fanning out to the source; its history stays. False when there is no such source.</summary>
    Task<bool> DeactivateAsync(string key, string actor, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>A registration as stored, with who changed it last and when.</summary>
public sealed record StoredRegistration(SourceRegistration Registration, bool Active, DateTimeOffset UpdatedAt, string UpdatedBy);
