using DataRights.Core.Requests;
using DataRights.Core.Sources;

namespace DataRights.Host.Sources;

/// <summary>
/// A source with no API (an accounting package, a third-party call-recording portal). Discovery and
/// execution are tasks emailed to <see cref="Owner"/>, who answers from a signed link; the workflow
/// hands them to <c>ManualTasks</c> instead of calling this connector, so its search and erase are
/// never run here.
/// </summary>
public sealed class ManualSourceConnector(string owner, string sourceName) : IDataSourceConnector
{
    public string Owner { get; } = owner;

    public Task<ConnectionTest> TestAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new ConnectionTest(true, $"Tasks for {sourceName} are emailed to its owner, {Owner}."));

    public Task<DiscoveryFindings> DiscoverAsync(SourceCall call, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"{sourceName} is searched by its owner through an emailed task, not by a call.");

    public Task<ExecutionOutcome> ExecuteAsync(SourceCall call, RequestType action, ActionInstructions? instructions, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"{sourceName} is changed by its owner through an emailed task, not by a call.");

    public Task<ExecutionOutcome> ExportAsync(SourceCall call, IExportSink sink, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"{sourceName} is copied by its owner through an emailed task, not by a call.");

    /// <summary>A manual source is purged by its owner, by hand; the report names them rather than emailing a task every night.</summary>
    public Task<PurgeOutcome> PurgeAsync(PurgeCommand command, CancellationToken cancellationToken) =>
        Task.FromResult(PurgeOutcome.NotSupported($"{sourceName} is purged by hand by its owner (named in its registration): records dated before {command.Cutoff:yyyy-MM-dd} are due."));
}
