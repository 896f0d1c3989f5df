using DataRights.Core.Requests;
using DataRights.Core.Sources;

namespace DataRights.Host.Sources;

/// <summary>A registered source that cannot be set up (a secret that does not resolve): every call fails with the reason, so staff see it.</summary>
public sealed class UnavailableConnector(string reason) : IDataSourceConnector
{
    public Task<ConnectionTest> TestAsync(CancellationToken cancellationToken) => Task.FromResult(new ConnectionTest(false, reason, "configuration"));

    public Task<DiscoveryFindings> DiscoverAsync(SourceCall call, CancellationToken cancellationToken) => throw new InvalidOperationException(reason);

    public Task<ExecutionOutcome> ExecuteAsync(SourceCall call, RequestType action, ActionInstructions? instructions, CancellationToken cancellationToken) => throw new InvalidOperationException(reason);

    public Task<ExecutionOutcome> ExportAsync(SourceCall call, IExportSink sink, CancellationToken cancellationToken) => throw new InvalidOperationException(reason);

    public Task<PurgeOutcome> PurgeAsync(PurgeCommand command, CancellationToken cancellationToken) => throw new InvalidOperationException(reason);
}
