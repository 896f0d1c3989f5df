using DataRights.Core.Ports;

namespace DataRights.Host.Requests;

/// <summary>
/// Takes the submissions for one address in one at a time, in this process and across every instance sharing the
/// store (<see cref="IAddressHolds"/>): each takes in after the one before it is stored or answered, so a second
/// submission for an address sees the first's request waiting for confirmation and is a repeat of it, rather than both
/// being stored side by side. In this process a submission waits for its turn here first, so only one of its
/// submissions at a time asks the store; addresses are kept only while a submission for them is being taken in.
/// </summary>
public sealed class AddressGate(IAddressHolds holds)
{
    private readonly Dictionary<string, (SemaphoreSlim Gate, int Users)> _gates = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Waits for the address's turn, here and then in the store; disposing the result ends it.</summary>
    public async Task<IAsyncDisposable> EnterAsync(string? email, CancellationToken cancellationToken)
    {
        var key = (email ?? string.Empty).Trim().ToUpperInvariant();
        SemaphoreSlim gate;
        lock (_lock)
        {
            var (existing, users) = _gates.TryGetValue(key, out var found) ? found : (new SemaphoreSlim(1, 1), 0);
            gate = existing;
            _gates[key] = (gate, users + 1);
        }

        try
        {
            await gate.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(key);
            throw;
        }

        var turn = new Turn(this, key, gate);
        if (key.Length == 0)
        {
            return turn;
        }

        try
        {
            turn.Held = await holds.HoldAsync(key, cancellationToken);
        }
        catch
        {
            await turn.DisposeAsync();
            throw;
        }

        return turn;
    }

    private void Leave(string key)
    {
        lock (_lock)
        {
            var (gate, users) = _gates[key];
            if (users == 1)
            {
                _gates.Remove(key);
                gate.Dispose();
            }
            else
            {
                _gates[key] = (gate, users - 1);
            }
        }
    }

    private sealed class Turn(AddressGate owner, string key, SemaphoreSlim gate) : IAsyncDisposable
    {
        private int _done;

        /// <summary>The store's hold on the address, ended first.</summary>
        public IAsyncDisposable? Held { get; set; }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                try
                {
                    if (Held is { } held)
                    {
                        await held.DisposeAsync();
                    }
                }
                finally
                {
                    gate.Release();
                    owner.Leave(key);
                }
            }
        }
    }
}
