namespace DataRights.Core.Ports;

/// <summary>
/// How many times details to confirm requests were given from one email address in the last window (a sliding
/// window: the attempts of the last 24 hours, whenever the day began), counted in the pipeline's store so that every
/// instance of the program sees the same count. The address is known only by a keyed hash; one row per address, holding
/// the times of its latest attempts.
/// </summary>
public interface IVerificationAttemptCounter
{
    /// <summary>
    /// Counts one attempt for <paramref name="addressKey"/> at <paramref name="now"/>, unless <paramref name="limit"/>
    /// attempts were counted within <paramref name="window"/> before it: null when the attempt was counted, otherwise the
    /// time from which another will be (the oldest counted attempt's, one window on).
    /// </summary>
    Task<DateTimeOffset?> TryCountAsync(string addressKey, DateTimeOffset now, TimeSpan window, int limit, CancellationToken cancellationToken);
}
