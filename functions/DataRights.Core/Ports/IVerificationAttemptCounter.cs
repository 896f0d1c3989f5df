namespace DataRights.Core.Ports;

/// <summary>
/// How many times details to confirm requests were given from one email address in the current window, counted in
/// the pipeline's store so that every instance of the program sees the same count. The address is known only by a
/// keyed hash; one row per address, overwritten when a new window begins.
/// </summary>
public interface IVerificationAttemptCounter
{
    /// <summary>
    /// Counts one attempt for <paramref name="addressKey"/> in the window that began at <paramref name="windowStart"/>,
    /// unless <paramref name="limit"/> attempts were counted in it already; true when the attempt was counted.
    /// </summary>
    Task<bool> TryCountAsync(string addressKey, DateTimeOffset windowStart, int limit, CancellationToken cancellationToken);
}
