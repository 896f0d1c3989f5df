using DataRights.Core.Requests;

namespace DataRights.Host.Workflow;

/// <summary>
/// Told after a source's execution outcome is committed, and again whenever that outcome is delivered
/// once more (a repeated delivery after a crash), so what follows from it is recorded exactly once in
/// effect: implementations must be idempotent. Kept out of the pure decider.
/// </summary>
public interface ISourceExecutedHook
{
    Task SourceExecutedAsync(DataSubjectRequest request, string sourceKey, CancellationToken cancellationToken);
}
