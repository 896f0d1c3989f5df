using DataRights.Core.Audit;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;

namespace DataRights.Integration.Tests.Workflow;

/// <summary>
/// The program's request store, with the first read held until the test lets it go (so that events queue up behind
/// it) and every commit counted; a commit may be made to fail once.
/// </summary>
public sealed class GatedRequestStore(IRequestStore inner) : IRequestStore
{
    private readonly TaskCompletionSource firstReadReleased = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int reads;
    private int commits;

    /// <summary>Commits asked for (landed or not).</summary>
    public int Commits => Volatile.Read(ref commits);

    /// <summary>When set, the first commit with more than this many audit entries fails (a store error), once.</summary>
    public int? FailCommitOverEntries { get; set; }

    /// <summary>When set, the first commit with more than this many audit entries lands, then fails (its answer lost, or a clean-up after it failing), once.</summary>
    public int? FailAfterCommitOverEntries { get; set; }

    public void ReleaseFirstRead() => firstReadReleased.TrySetResult();

    public async Task<DataSubjectRequest?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref reads) == 1)
        {
            await firstReadReleased.Task.WaitAsync(cancellationToken);
        }

        return await inner.GetAsync(id, cancellationToken);
    }

    public async Task<bool> CommitAsync(
        DataSubjectRequest updated, long expectedVersion, IReadOnlyList<AuditEntry> audit, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref commits);
        if (FailCommitOverEntries is { } limit && audit.Count > limit)
        {
            FailCommitOverEntries = null;
            throw new InvalidOperationException("The store refused the commit (test).");
        }

        var landed = await inner.CommitAsync(updated, expectedVersion, audit, cancellationToken);
        if (landed && FailAfterCommitOverEntries is { } after && audit.Count > after)
        {
            FailAfterCommitOverEntries = null;
            throw new TimeoutException("The store's answer was lost (test).");
        }

        return landed;
    }

    public Task<RequestWithOpenWork?> GetWithOpenWorkAsync(string id, CancellationToken cancellationToken) => inner.GetWithOpenWorkAsync(id, cancellationToken);

    public Task<RequestWithOpenWork?> EndRunAsync(string id, CancellationToken cancellationToken) => inner.EndRunAsync(id, cancellationToken);

    public Task<SubmitOutcome> SubmitAsync(
        NewRequest request,
        DateTimeOffset duplicateSince,
        Func<DataSubjectRequest, Decision> start,
        Func<DataSubjectRequest, CancellationToken, Task>? announce,
        CancellationToken cancellationToken) =>
        inner.SubmitAsync(request, duplicateSince, start, announce, cancellationToken);

    public Task<IReadOnlyList<DataSubjectRequest>> ListOpenAsync(int max, CancellationToken cancellationToken) => inner.ListOpenAsync(max, cancellationToken);

    public Task<OpenRequestPage> ListOpenPageAsync(int max, OpenRequestCursor? after, CancellationToken cancellationToken) =>
        inner.ListOpenPageAsync(max, after, cancellationToken);

    public Task<IReadOnlyList<DataSubjectRequest>> ListClosedWithRunAsync(CancellationToken cancellationToken) =>
        inner.ListClosedWithRunAsync(cancellationToken);

    public Task<DataSubjectRequest?> FindByStatusTokenHashAsync(string statusTokenHash, CancellationToken cancellationToken) =>
        inner.FindByStatusTokenHashAsync(statusTokenHash, cancellationToken);

    public Task<DataSubjectRequest?> FindAwaitingVerificationAsync(string email, CancellationToken cancellationToken) =>
        inner.FindAwaitingVerificationAsync(email, cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> GetAuditTrailAsync(string id, CancellationToken cancellationToken) => inner.GetAuditTrailAsync(id, cancellationToken);
}
