namespace DataRights.Email.Tests;

/// <summary>
/// A clock whose timers fire at once: every wait the code under test asks for (Task.Delay over this provider) is
/// recorded and the clock moves on by it, so retry tests check delays without sleeping.
/// (DataRights.Testing's FakeTimeProvider has no timers yet; this can move there when another test needs one.)
/// </summary>
internal sealed class RecordingTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<TimeSpan> _delays = [];
    private DateTimeOffset _now = start.ToUniversalTime();

    public IReadOnlyList<TimeSpan> Delays
    {
        get
        {
            lock (_lock)
            {
                return [.. _delays];
            }
        }
    }

    /// <summary>Moves the clock on by <paramref name="by"/> with no wait recorded (time passing elsewhere).</summary>
    public void Advance(TimeSpan by)
    {
        lock (_lock)
        {
            _now += by;
        }
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            lock (_lock)
            {
                _delays.Add(dueTime);
                _now += dueTime;
            }

            // Fire on the thread pool, never inside CreateTimer: the caller has not stored its timer yet.
            ThreadPool.QueueUserWorkItem(_ => callback(state));
        }

        return new FiredTimer();
    }

    private sealed class FiredTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
