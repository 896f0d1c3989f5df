namespace DataRights.Core.Ports;

/// <summary>
/// The outbox side of the work, through which the request orchestrations (Durable Task) get it. A commit with work
/// stores its items on the request and one intent beside it, which stands for the commit's announcement to the request's
/// orchestration until the orchestration has taken the work; the relay makes the announcements no one else made, and
/// makes again those not taken long after. The orchestration's activity then leases an item by its id to run it.
/// </summary>
public interface IWorkOutbox
{
    /// <summary>
    /// Records that the request's orchestration has taken the work of the commit the relay announced to it at
    /// <paramref name="version"/> (it has read the request at that version): the announcement is not made again.
    /// </summary>
    Task AnnouncementTakenAsync(string requestId, long version, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="max"/> commits whose announcement is the relay's to make (no orchestration could be told
    /// before the commit: <see cref="WorkHandOver.Relay"/>): at once once the commit has landed, and again while their
    /// work their orchestration has still not taken <paramref name="olderThan"/> after the relay's last announcement of it
    /// (the orchestration ended as the announcement reached it). One whose commit has not landed is not claimed; once it is older than any commit can
    /// take, it is dropped.
    /// </summary>
    Task<IReadOnlyList<UntakenAnnouncement>> ClaimUntakenAnnouncementsAsync(int max, DateTimeOffset now, TimeSpan olderThan, CancellationToken cancellationToken);

    /// <summary>
    /// Gives back a claimed announcement the relay could not make (its orchestration was only just starting, or the task
    /// hub refused): it is claimed again at the next claim, not <c>olderThan</c> later.
    /// </summary>
    Task AnnouncementNotMadeAsync(UntakenAnnouncement announcement, CancellationToken cancellationToken);

    /// <summary>
    /// Leases one item of request <paramref name="requestId"/> for processing because its orchestration runs it now. An item not
    /// due until after <paramref name="now"/> + <paramref name="earlyTolerance"/> is not leased (a run never does work early).
    /// </summary>
    Task<DeliveryLease> LeaseDeliveredAsync(string requestId, string id, DateTimeOffset now, TimeSpan leaseFor, TimeSpan earlyTolerance, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the end of <paramref name="item"/>'s lease to <paramref name="until"/> while that lease still holds the item (a
    /// run keeps a short lease alive while it works). False, changing nothing, when the lease was lost: the item was
    /// finished, retried, or leased again by another delivery.
    /// </summary>
    Task<bool> ExtendLeaseAsync(LeasedWorkItem item, DateTimeOffset until, CancellationToken cancellationToken);
}

/// <summary>What a delivery found: the lease to process, or why there is nothing to do.</summary>
public sealed record DeliveryLease(DeliveryOutcome Outcome, LeasedWorkItem? Lease = null);

/// <summary>The outcome of <see cref="IWorkOutbox.LeaseDeliveredAsync"/>.</summary>
public enum DeliveryOutcome
{
    /// <summary>Leased: process it.</summary>
    Leased,

    /// <summary>No such item.</summary>
    NotFound,

    /// <summary>Done or dead-lettered already (a duplicate delivery).</summary>
    AlreadyFinished,

    /// <summary>Another worker holds a live lease on it.</summary>
    InProgress,

    /// <summary>Not due yet; its orchestration runs it again when it is.</summary>
    NotDueYet,
}
