namespace DataRights.Host.Workflow;

/// <summary>Wakes the stand-alone host's relay when new work is committed, so it hands the work over at once rather than at its next sweep.</summary>
public sealed class WorkSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);

    public void Notify()
    {
        if (_signal.CurrentCount < 64)
        {
            _signal.Release();
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _signal.Dispose();
}
