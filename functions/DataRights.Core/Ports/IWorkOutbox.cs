namespace DataRights.Core.Ports;

/// <summary>
/// The work's side the request orchestrations (Durable Task) run it through. A commit with work stores its items on the
/// request; the request's orchestration, told of the commit before it was made, reads them from there, and its activity
/// leases an item by its id to run it.
/// </summary>
public interface IWorkOutbox
{
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

    /// <summary>
    /// Whether <paramref name="item"/>'s lease still holds the item (one read, changing nothing). A run about to record a
    /// failure for good asks first: one whose item was taken over after a stall leaves the outcome to the run that took
    /// it, which may succeed.
    /// </summary>
    Task<bool> StillHoldsAsync(LeasedWorkItem item, CancellationToken cancellationToken);
}

/// <summary>
/// What a delivery found: the lease to process, or why there is nothing to do. For an item given up earlier
/// (<see cref="DeliveryOutcome.DeadLettered"/>), <see cref="Lease"/> is the item as it was given up (no lease token) and
/// <see cref="Error"/> its last error.
/// </summary>
public sealed record DeliveryLease(DeliveryOutcome Outcome, LeasedWorkItem? Lease = null, string? Error = null);

/// <summary>The outcome of <see cref="IWorkOutbox.LeaseDeliveredAsync"/>.</summary>
public enum DeliveryOutcome
{
    /// <summary>Leased: process it.</summary>
    Leased,

    /// <summary>No such item.</summary>
    NotFound,

    /// <summary>Done already (a duplicate delivery).</summary>
    AlreadyFinished,

    /// <summary>
    /// Given up already (dead-lettered): a duplicate delivery, or the run of a step whose process stopped after giving
    /// the item up and before its request recorded the failure, which the step records again (the decider ignores a repeat).
    /// </summary>
    DeadLettered,

    /// <summary>Another worker holds a live lease on it.</summary>
    InProgress,

    /// <summary>Not due yet; its orchestration runs it again when it is.</summary>
    NotDueYet,
}
