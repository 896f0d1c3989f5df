namespace DataRights.Core.Ports;

/// <summary>
/// The outbox side of the work queue when a message broker (Service Bus) delivers the work instead of local
/// workers. Items committed with their state change are claimed, handed to the broker and marked sent; the
/// broker's delivery then leases an item back by its id for processing. Anything a crash left behind (claimed
/// but never sent, sent but never processed, leased by a worker that died) is claimed again.
/// </summary>
public interface IWorkOutbox
{
    /// <summary>
    /// Claims up to <paramref name="max"/> items for <paramref name="claimFor"/>: unsent ones whatever their due time
    /// (the broker schedules them), abandoned claims and leases, and sent ones still unprocessed
    /// <paramref name="resendAfter"/> past their due time.
    /// </summary>
    Task<IReadOnlyList<OutboxItem>> ClaimUnsentAsync(int max, DateTimeOffset now, TimeSpan claimFor, TimeSpan resendAfter, CancellationToken cancellationToken);

    /// <summary>Records that the broker accepted the item. False when the claim was lost.</summary>
    Task<bool> MarkSentAsync(OutboxItem item, CancellationToken cancellationToken);

    /// <summary>Gives a claimed item back unsent (the broker refused it), to be claimed again later.</summary>
    Task<bool> ReleaseAsync(OutboxItem item, CancellationToken cancellationToken);

    /// <summary>
    /// Leases one item for processing because the broker delivered it. An item not due until after
    /// <paramref name="now"/> + <paramref name="earlyTolerance"/> is not leased (a delivery never runs work early).
    /// </summary>
    Task<DeliveryLease> LeaseDeliveredAsync(string id, DateTimeOffset now, TimeSpan leaseFor, TimeSpan earlyTolerance, CancellationToken cancellationToken);
}

/// <summary>An item claimed for handing to the broker; <see cref="Attempts"/> counts processing attempts so far.</summary>
public sealed record OutboxItem(WorkItem Item, int Attempts, string ClaimToken);

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
