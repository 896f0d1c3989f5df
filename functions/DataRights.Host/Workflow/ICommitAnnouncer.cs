namespace DataRights.Host.Workflow;

/// <summary>
/// Tells a request's orchestration, before a decision made outside it (a person's link, staff, a system's callback) is
/// committed, that the request's work will be in the store once the request reaches a version. The announcement is
/// durable once made (a message of the task hub), so it stands in for the dispatch intent and the relay: the
/// orchestration reads the work from the request itself when the commit has landed, and does nothing if it never does.
/// </summary>
public interface ICommitAnnouncer
{
    /// <summary>
    /// True when the orchestration has been told; false when it cannot be told from here (no Durable client in this
    /// flow, or the orchestration is only just starting): the work then goes through the queue and the relay.
    /// </summary>
    Task<bool> AnnounceAsync(string requestId, long version, CancellationToken cancellationToken);

    /// <summary>
    /// Starts the orchestration of a request not yet written (intake, once its submission is claimed), to read the
    /// request's work once it is stored at <paramref name="version"/>. False when it cannot be started from here: the work
    /// then goes through the queue and the relay.
    /// </summary>
    Task<bool> AnnounceNewAsync(string requestId, long version, CancellationToken cancellationToken);
}
