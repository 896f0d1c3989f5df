namespace DataRights.Host.Requests;

/// <summary>
/// Takes the submissions for one address in one at a time in this process: each takes in after the one before it is
/// stored or answered, so a second submission for an address sees the first's request waiting for confirmation and
/// is a repeat of it, rather than both being stored side by side. Addresses are kept only while a submission for them
/// is being taken in.
/// </summary>
public sealed class AddressGate
{
    private readonly Dictionary<string, (SemaphoreSlim Gate, int Users)> _gates = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Waits for the address's turn; disposing the result ends it.</summary>
    public async Task<IDisposable> EnterAsync(string? email, CancellationToken cancellationToken)
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

        return new Turn(this, key, gate);
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

    private sealed class Turn(AddressGate owner, string key, SemaphoreSlim gate) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                gate.Release();
                owner.Leave(key);
            }
        }
    }
}
