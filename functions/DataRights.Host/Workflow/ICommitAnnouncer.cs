namespace DataRights.Host.Workflow;

/// <summary>
/// Tells a request's orchestration, before a decision made outside it (a person's link, staff, a system's callback) is
/// committed, that the request's work will be in the store once the request reaches a version. The announcement is
/// durable once made (a message of the task hub): the orchestration reads the work from the request itself when the
/// commit has landed, and does nothing if it never does. Nothing is written for it in the store, and nothing else
/// announces a commit: one that cannot be announced is not made.
/// </summary>
public interface ICommitAnnouncer
{
    /// <summary>
    /// Tells the orchestration: an event on the one running, or a new one started (none running, or
    /// <paramref name="runEnded"/>: the last one ended, so the new one is started once it has gone). Throws
    /// <see cref="OrchestrationUnavailableException"/> when it cannot be told (the task hub refused, or the orchestration
    /// did not get going in time): the decision is then not committed. <paramref name="decided"/> names the event it is
    /// told by (<see cref="Durable.JourneySteps.EventFor"/>: "verified", "approved"...), so its history reads as the journey.
    /// </summary>
    Task AnnounceAsync(string requestId, long version, bool runEnded, string decided, CancellationToken cancellationToken);

    /// <summary>
    /// Starts the orchestration of a request not yet written (intake, once its submission is claimed), to read the
    /// request's work once it is stored at <paramref name="version"/>. Throws <see cref="OrchestrationUnavailableException"/>
    /// when it cannot be started: the request is then not written.
    /// </summary>
    Task AnnounceNewAsync(string requestId, long version, CancellationToken cancellationToken);

    /// <summary>
    /// Called once an announced commit has landed, <paramref name="since"/> after the announcement was begun: a commit so
    /// late that the orchestration may have stopped waiting for it (see <c>DataRights:Durable:AnnouncedCommitWait</c>) is
    /// announced again, so its work is read after all. Never throws: the commit has landed.
    /// </summary>
    Task LandedAsync(string requestId, long version, TimeSpan since, CancellationToken cancellationToken);
}
