namespace DataRights.Core.Ports;

/// <summary>
/// The outbox side of the work queue, through which the request orchestrations (Durable Task) get their work. Items committed with their state change are claimed, handed to their request's orchestration and
/// marked sent; the orchestration's activity then leases an item back by its id to run it. Anything a crash left
/// behind (claimed but never handed over, handed over but never run, leased by a run that died) is claimed again.
/// </summary>
public interface IWorkOutbox
{
    /// <summary>
    /// Claims up to <paramref name="max"/> items for <paramref name="claimFor"/>: unsent ones whatever their due time
    /// (the orchestration waits for them on durable timers), abandoned claims and leases, and sent ones still unprocessed
    /// <paramref name="resendAfter"/> past their due time or their last sending, whichever is later.
    /// </summary>
    Task<IReadOnlyList<OutboxItem>> ClaimUnsentAsync(int max, DateTimeOffset now, TimeSpan claimFor, TimeSpan resendAfter, CancellationToken cancellationToken);

    /// <summary>
    /// Records that the orchestration has the item, to be sent again only <c>resendAfter</c> past the later of its due
    /// time and its claim (<see cref="OutboxItem.ClaimedAt"/>): an item sent again is not sent on every sweep after.
    /// False when the claim was lost.
    /// </summary>
    Task<bool> MarkSentAsync(OutboxItem item, CancellationToken cancellationToken);

    /// <summary>Gives a claimed item back unsent (the task hub refused it), to be claimed again later.</summary>
    Task<bool> ReleaseAsync(OutboxItem item, CancellationToken cancellationToken);

    /// <summary>
    /// Records that the request's orchestration has taken the work of the commit announced to it at <paramref name="version"/>
    /// (it has read the request at that version, or given up waiting for it): the announcement is not made again.
    /// </summary>
    Task AnnouncementTakenAsync(string requestId, long version, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="max"/> commits whose announcement is the relay's to make: those left to it (no
    /// orchestration could be told before the commit: <see cref="WorkHandOver.Relay"/>) at once, and announced ones whose
    /// work their orchestration has still not taken <paramref name="olderThan"/> after the announcement (or after the last
    /// claim of it): the orchestration ended before the announcement reached it (or the commit landed after it gave up
    /// waiting), so it is made again. One whose commit has not landed is not claimed; once it is older than any commit can
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

/// <summary>An item claimed for handing to its orchestration; <see cref="Attempts"/> counts processing attempts so far.</summary>
public sealed record OutboxItem(WorkItem Item, int Attempts, string ClaimToken)
{
    /// <summary>The program's clock when the item was claimed (the time it is handed over).</summary>
    public DateTimeOffset ClaimedAt { get; init; }
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

    /// <summary>Not due yet; the outbox sends it again when it is.</summary>
    NotDueYet,
}
