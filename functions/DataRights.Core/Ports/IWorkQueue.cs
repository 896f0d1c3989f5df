namespace DataRights.Core.Ports;

/// <summary>
/// The durable work queue's end of an item's life: a leased item (leased by id when its orchestration runs it, through
/// <see cref="IWorkOutbox.LeaseDeliveredAsync"/>) is completed, retried at a later time, or dead-lettered when it keeps
/// failing; every change needs the lease that still holds the item.
/// </summary>
public interface IWorkQueue
{
    /// <summary>Marks a leased item done. False when the lease was lost (another delivery has it now).</summary>
    Task<bool> CompleteAsync(LeasedWorkItem item, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Puts a leased item back to run again at <paramref name="notBefore"/>, recording why.</summary>
    Task<bool> RetryAsync(LeasedWorkItem item, DateTimeOffset notBefore, string error, CancellationToken cancellationToken);

    /// <summary>Gives up on a leased item for good.</summary>
    Task<bool> DeadLetterAsync(LeasedWorkItem item, DateTimeOffset now, string error, CancellationToken cancellationToken);

    /// <summary>Counts of items per state for one request (pending, leased, done, dead), for staff views and tests.</summary>
    Task<IReadOnlyDictionary<string, int>> CountsAsync(string requestId, CancellationToken cancellationToken);
}
