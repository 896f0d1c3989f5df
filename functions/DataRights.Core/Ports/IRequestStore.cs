using DataRights.Core.Audit;
using DataRights.Core.Requests;

namespace DataRights.Core.Ports;

/// <summary>
/// Durable storage of requests and their audit trails. Every write touches one request's
/// partition only, so a Table storage adapter can commit it as one entity-group transaction.
/// </summary>
public interface IRequestStore
{
    /// <summary>
    /// Stores a new request with its first audit entry and a fresh human reference, unless a request
    /// with the same fingerprint was received at or after <paramref name="duplicateSince"/>: then that
    /// one is returned and nothing is written. Committed durably before it returns.
    /// </summary>
    Task<SubmitOutcome> SubmitAsync(NewRequest request, DateTimeOffset duplicateSince, CancellationToken cancellationToken);

    Task<DataSubjectRequest?> GetAsync(string id, CancellationToken cancellationToken);

    Task<DataSubjectRequest?> FindByStatusTokenHashAsync(string statusTokenHash, CancellationToken cancellationToken);

    /// <summary>The request's audit trail, oldest first.</summary>
    Task<IReadOnlyList<AuditEntry>> GetAuditTrailAsync(string id, CancellationToken cancellationToken);
}
