using DataRights.Core.Audit;

namespace DataRights.Core.Retention;

/// <summary>
/// Purge runs, their report rows and the retention audit chain (a system chain, hashed like a request's
/// trail with <see cref="AuditChain"/>). Each change of a row to its final state is audited in the same
/// transaction, so the report and its evidence cannot disagree.
/// </summary>
public interface IPurgeStore
{
    /// <summary>The chain's id in <see cref="AuditEntry.RequestId"/>.</summary>
    public const string AuditChainId = "system:retention";

    /// <summary>Stores a new run with its "started" entry, or returns the run already stored under that id (nothing written).</summary>
    Task<PurgeRun> StartAsync(PurgeRun run, AuditDraft started, CancellationToken cancellationToken);

    Task<PurgeRun?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<PurgeRun>> ListAsync(int max, CancellationToken cancellationToken);

    Task<IReadOnlyList<PurgeRow>> RowsAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Creates or updates a row (progress after each batch); with <paramref name="audit"/> when it reaches its final state.</summary>
    Task SaveRowAsync(PurgeRow row, AuditDraft? audit, CancellationToken cancellationToken);

    /// <summary>
    /// Saves <paramref name="row"/> with <paramref name="audit"/> only if the stored row is still in
    /// <paramref name="expectedState"/> (so of two answers to one task, one is recorded); false otherwise, nothing written.
    /// </summary>
    Task<bool> SaveRowIfAsync(PurgeRow row, string expectedState, AuditDraft audit, CancellationToken cancellationToken);

    Task FinishAsync(string runId, string status, DateTimeOffset at, AuditDraft finished, CancellationToken cancellationToken);

    /// <summary>The retention chain, oldest first (only the entries of one run when <paramref name="runId"/> is given).</summary>
    Task<IReadOnlyList<AuditEntry>> AuditTrailAsync(string? runId, CancellationToken cancellationToken);

    /// <summary>Checks the whole chain against its stored head.</summary>
    Task<AuditVerification> VerifyAuditAsync(CancellationToken cancellationToken);
}
