using DataRights.Core.Audit;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;

namespace DataRights.Core.Ports;

/// <summary>
/// Durable storage of requests and their audit trails. Every write touches one request's
/// partition only, so a Table storage adapter can commit it as one entity-group transaction.
/// </summary>
public interface IRequestStore
{
    /// <summary>
    /// Stores a new request with a fresh human reference, its "received" audit entry, and what
    /// <paramref name="start"/> decides for it (first state change, audit drafts, effects), all in one
    /// transaction, unless a request with the same fingerprint was received at or after
    /// <paramref name="duplicateSince"/>: then that one is returned and nothing is written.
    /// Committed durably before it returns.
    /// </summary>
    Task<SubmitOutcome> SubmitAsync(NewRequest request, DateTimeOffset duplicateSince, Func<DataSubjectRequest, Decision> start, CancellationToken cancellationToken) =>
        SubmitAsync(request, duplicateSince, start, announce: null, cancellationToken);

    /// <summary>
    /// <see cref="SubmitAsync(NewRequest, DateTimeOffset, Func{DataSubjectRequest, Decision}, CancellationToken)"/>, telling
    /// the request's orchestration first: once the submission is claimed (not a duplicate) and before its request is
    /// written, <paramref name="announce"/> is given the request as it will be stored, if it has work (its orchestration
    /// reads that work from the request). Should the announcement fail, the claim is released, nothing is written, and
    /// the announcement's exception is thrown.
    /// </summary>
    Task<SubmitOutcome> SubmitAsync(
        NewRequest request,
        DateTimeOffset duplicateSince,
        Func<DataSubjectRequest, Decision> start,
        Func<DataSubjectRequest, CancellationToken, Task>? announce,
        CancellationToken cancellationToken);

    /// <summary>
    /// Writes one state change of one request: the request (its version must still be
    /// <paramref name="expectedVersion"/>), with the work it owes in its progress, and its new audit entries, atomically.
    /// At most <see cref="MaxRowsPerCommit"/> rows, so a Table storage batch can do the same. False on a
    /// version conflict (nothing written). Nothing else is written for the work: the request's orchestration was told
    /// of the commit before it (or made it, in a step of its own), and reads the work from the request.
    /// </summary>
    Task<bool> CommitAsync(
        DataSubjectRequest updated,
        long expectedVersion,
        IReadOnlyList<AuditEntry> audit,
        CancellationToken cancellationToken);

    /// <summary>Requests not in a final state, for staff lists (overdue first), newest first otherwise.</summary>
    Task<IReadOnlyList<DataSubjectRequest>> ListOpenAsync(int max, CancellationToken cancellationToken);

    /// <summary>
    /// Open requests in the order of <see cref="ListOpenAsync"/> (due date, then received, then id), at most
    /// <paramref name="max"/> of them, starting after <paramref name="after"/> (from the start when null); the page says
    /// where the next one starts, or that there is no more.
    /// </summary>
    Task<OpenRequestPage> ListOpenPageAsync(int max, OpenRequestCursor? after, CancellationToken cancellationToken);

    /// <summary>The most rows one commit may touch (one Table storage entity-group transaction).</summary>
    public const int MaxRowsPerCommit = 100;

    /// <summary>Refuses, before anything is written, a <paramref name="what"/> that would write more than <see cref="MaxRowsPerCommit"/> rows.</summary>
    public static void EnsureFits(int rows, string what)
    {
        if (rows > MaxRowsPerCommit)
        {
            throw new InvalidOperationException($"One {what} may write at most {MaxRowsPerCommit} rows; this one needs {rows}.");
        }
    }

    Task<DataSubjectRequest?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// The request as this process last read or wrote it, when it knows it; otherwise read as <see cref="GetAsync"/>.
    /// It may be stale (another instance wrote since), so it is only for a use a stale row cannot mislead: a decision
    /// whose commit is refused when the request changed since, and whose "nothing to change" is checked against a fresh
    /// read; a source's search, taken as done only when a fresh read agrees; or a row the caller has just read.
    /// </summary>
    Task<DataSubjectRequest?> GetRecentAsync(string id, CancellationToken cancellationToken) => GetAsync(id, cancellationToken);

    /// <summary>The request and its open work, read together (one read of its partition); null when there is no such request.</summary>
    Task<RequestWithOpenWork?> GetWithOpenWorkAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Ends the request's orchestration run if nothing is left to do: when the request is closed (a final status) with no
    /// open work and no timer it waits for (a restriction's lift: <see cref="Workflow.TimerWork.Waiting"/>), marks it <see cref="DataSubjectRequest.RunEnded"/> and moves its version on by one, in one write
    /// conditional on the request as read (a commit landing in between makes it read again). A decision read before
    /// then cannot commit at the old version, so it is made again, sees the mark, and starts a new orchestration rather
    /// than telling the one ending. Returns the request as it stands (ended when closed with no open work), or null when
    /// there is no such request. A request marked already is left as it is.
    /// </summary>
    Task<RequestWithOpenWork?> EndRunAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Closed requests whose orchestration run has not ended: work was still open when the request closed (the emails
    /// after completion, an export's deletion when its link expires), or a decision gave a closed request new work. A
    /// commit that closes a request, or gives a closed one whose run ended new work, records it first; a request whose
    /// run has ended since is dropped from the record on the way. For the hourly workflow check, which starts such a
    /// request's workflow again when it has stopped.
    /// </summary>
    Task<IReadOnlyList<DataSubjectRequest>> ListClosedWithRunAsync(CancellationToken cancellationToken);

    Task<DataSubjectRequest?> FindByStatusTokenHashAsync(string statusTokenHash, CancellationToken cancellationToken);

    /// <summary>The newest request for <paramref name="email"/> (as intake normalised it) still waiting for its owner to confirm it, if any.</summary>
    Task<DataSubjectRequest?> FindAwaitingVerificationAsync(string email, CancellationToken cancellationToken);

    /// <summary>The request's audit trail, oldest first.</summary>
    Task<IReadOnlyList<AuditEntry>> GetAuditTrailAsync(string id, CancellationToken cancellationToken);
}
