namespace DataRights.Host.Http;

/// <summary>
/// Rate-limit refusals, logged as one summary line per window and kind (client, email) with the count, instead of a
/// warning per refused request: a burst of refusals must not turn into a burst of log lines. The first refusal of a
/// kind opens a window; when it closes (a timer), its line is written. <see cref="Flush"/> writes every open window now.
/// </summary>
public sealed class RateLimitLog(ILogger<RateLimitLog> logger, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, OpenWindow> _open = new(StringComparer.Ordinal);

    /// <summary>Counts one refusal by the <paramref name="kind"/> limit.</summary>
    public void Refused(string kind)
    {
        lock (_lock)
        {
            if (_open.TryGetValue(kind, out var window))
            {
                window.Count++;
                return;
            }

            _open[kind] = new OpenWindow(time.CreateTimer(_ => Close(kind), null, Window, Timeout.InfiniteTimeSpan));
        }
    }

    /// <summary>Writes the line of every open window now (at shutdown, and for tests).</summary>
    public void Flush()
    {
        string[] kinds;
        lock (_lock)
        {
            kinds = [.. _open.Keys];
        }

        foreach (var kind in kinds)
        {
            Close(kind);
        }
    }

    public void Dispose() => Flush();

    private void Close(string kind)
    {
        OpenWindow? window;
        lock (_lock)
        {
            if (!_open.Remove(kind, out window))
            {
                return;
            }
        }

        window.Timer.Dispose();
        logger.RateLimitRefusals(kind, window.Count, (int)Window.TotalSeconds);
    }

    private sealed class OpenWindow(ITimer timer)
    {
        public ITimer Timer { get; } = timer;

        public int Count { get; set; } = 1;
    }
}
