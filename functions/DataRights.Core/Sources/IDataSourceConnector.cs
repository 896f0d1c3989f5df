using DataRights.Core.Requests;

namespace DataRights.Core.Sources;

/// <summary>
/// The one port every kind of data source implements. Calls must be idempotent: erasing what is
/// already gone erases nothing and succeeds.
/// </summary>
public interface IDataSourceConnector
{
    /// <summary>Checks the source can be reached and its registration makes sense there, changing nothing.</summary>
    Task<ConnectionTest> TestAsync(CancellationToken cancellationToken);

    Task<DiscoveryFindings> DiscoverAsync(SubjectIdentity subject, CancellationToken cancellationToken);

    /// <summary>Carries out <paramref name="action"/> (erasure, rectification, ...) for the subject.</summary>
    Task<ExecutionOutcome> ExecuteAsync(SubjectIdentity subject, RequestType action, string? instructions, CancellationToken cancellationToken);
}
