namespace DataRights.Core.Ports;

/// <summary>
/// Holds an address while one submission for it is taken in, across every instance that shares the store: a second
/// submission for the address, taken in by another instance at the same moment, waits, then sees the first's request
/// waiting for confirmation and is its repeat, rather than both being stored. A hold whose holder died ends by itself.
/// </summary>
public interface IAddressHolds
{
    /// <summary>
    /// Waits until no other holder has <paramref name="email"/>, then holds it until the result is disposed. Throws when
    /// another holder keeps it longer than the wait (the caller tries again later).
    /// </summary>
    Task<IAsyncDisposable> HoldAsync(string email, CancellationToken cancellationToken);
}
