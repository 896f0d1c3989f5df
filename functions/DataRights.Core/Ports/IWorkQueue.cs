namespace DataRights.Core.Ports;

/// <summary>
/// The durable work queue: at-least-once delivery with leases (a crashed worker's item comes back
/// when its lease ends), retries at a later time, and a dead letter for items that keep failing.
/// </summary>
public interface IWorkQueue
{
    /// <summary>Leases up to <paramref name="max"/> items due at <paramref name="now"/>, each for <paramref name="leaseFor"/>.</summary>
    Task<IReadOnlyList<LeasedWorkItem>> LeaseAsync(int max, DateTimeOffset now, TimeSpan leaseFor, CancellationToken cancellationToken);

    /// <summary>Marks a leased item done. False when the lease was lost (another worker has it now).</summary>
    Task<bool> CompleteAsync(LeasedWorkItem item, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Puts a leased item back to run again at <paramref name="notBefore"/>, recording why.</summary>
    Task<bool> RetryAsync(LeasedWorkItem item, DateTimeOffset notBefore, string error, CancellationToken cancellationToken);

    /// <summary>Gives up on a leased item for good.</summary>
    Task<bool> DeadLetterAsync(LeasedWorkItem item, DateTimeOffset now, string error, CancellationToken cancellationToken);

    /// <summary>The earliest time a pending item becomes due, for a worker deciding how long to sleep.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);

    /// <summary>Counts of items per state for one request (pending, leased, done, dead), for staff views and tests.</summary>
    Task<IReadOnlyDictionary<string, int>> CountsAsync(string requestId, CancellationToken cancellationToken);
}
