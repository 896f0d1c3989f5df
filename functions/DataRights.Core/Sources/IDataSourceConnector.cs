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

    /// <summary>
    /// What the source holds about <see cref="SourceCall.Subject"/>. A source that answers later returns
    /// <see cref="DiscoveryFindings.Later"/> and posts its answer to <see cref="SourceCall.Callback"/>.
    /// </summary>
    Task<DiscoveryFindings> DiscoverAsync(SourceCall call, CancellationToken cancellationToken);

    /// <summary>
    /// Carries out <paramref name="action"/> (erasure, rectification, ...) for the subject; a source that
    /// answers later returns <see cref="ExecutionOutcome.Later"/>.
    /// </summary>
    Task<ExecutionOutcome> ExecuteAsync(SourceCall call, RequestType action, ActionInstructions? instructions, CancellationToken cancellationToken);

    /// <summary>
    /// Streams a copy of everything the source holds about the subject into <paramref name="sink"/>
    /// (access and portability), changing nothing. The outcome counts the records exported; a source
    /// that cannot export says so in <see cref="ExecutionOutcome.Note"/>.
    /// </summary>
    Task<ExecutionOutcome> ExportAsync(SourceCall call, IExportSink sink, CancellationToken cancellationToken);

    /// <summary>
    /// Retention purge by age: one bounded, idempotent step in one category (see <see cref="PurgeCommand"/>).
    /// A source that cannot purge answers <see cref="PurgeOutcome.NotSupported"/>; one without the category,
    /// <see cref="PurgeOutcome.NotHeld"/>.
    /// </summary>
    Task<PurgeOutcome> PurgeAsync(PurgeCommand command, CancellationToken cancellationToken);
}
