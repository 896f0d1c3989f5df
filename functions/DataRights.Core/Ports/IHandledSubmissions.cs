namespace DataRights.Core.Ports;

/// <summary>
/// Records of the requests set aside that staff handled by hand and removed (<see cref="HandledSubmission"/>), kept as
/// the evidence that each was answered; like a request's own record, nothing deletes them yet.
/// </summary>
public interface IHandledSubmissions
{
    /// <summary>Keeps <paramref name="handled"/>; a record kept already for that submission stays as it was (the first removal's).</summary>
    Task RecordAsync(HandledSubmission handled, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> records, the latest handled first.</summary>
    Task<IReadOnlyList<HandledSubmission>> ListAsync(int max, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> records of requests received from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive), for the metrics.</summary>
    Task<IReadOnlyList<HandledSubmission>> ListReceivedAsync(DateTimeOffset from, DateTimeOffset to, int max, CancellationToken cancellationToken);
}
