using DataRights.Host.Durable;
using DataRights.Host.Workflow;

namespace DataRights.Integration.Tests.Infrastructure;

/// <summary>
/// Tests only: holds every commit's announcement back (the decision commits as though it had been told) until
/// <see cref="MakeAsync"/> makes them, in order, through the program's own announcer. For tests that apply a request's
/// events themselves and must not have its orchestration run beside them until they drain.
/// </summary>
public sealed class DeferredAnnouncer(DurableCommitAnnouncer real) : ICommitAnnouncer
{
    private readonly Lock _gate = new();
    private readonly List<(string RequestId, long Version, bool RunEnded, string? Decided)> _held = [];

    /// <summary>Announcements held back so far and not yet made: each one's request and the version its commit gives it.</summary>
    public IReadOnlyList<(string RequestId, long Version)> Held
    {
        get
        {
            lock (_gate)
            {
                return [.. _held.Select(h => (h.RequestId, h.Version))];
            }
        }
    }

    public Task AnnounceAsync(string requestId, long version, bool runEnded, string decided, CancellationToken cancellationToken) =>
        HoldAsync((requestId, version, runEnded, decided));

    public Task AnnounceNewAsync(string requestId, long version, CancellationToken cancellationToken) =>
        HoldAsync((requestId, version, false, null));

    // Not made yet, so it cannot be late.
    public Task LandedAsync(string requestId, long version, TimeSpan since, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Makes the announcements held so far, in the order they were held; true when there were any.</summary>
    public async Task<bool> MakeAsync(CancellationToken cancellationToken)
    {
        List<(string RequestId, long Version, bool RunEnded, string? Decided)> held;
        lock (_gate)
        {
            held = [.. _held];
            _held.Clear();
        }

        foreach (var (requestId, version, runEnded, decided) in held)
        {
            // An announcement of a new request names no decision.
            await (decided is null ? real.AnnounceNewAsync(requestId, version, cancellationToken) : real.AnnounceAsync(requestId, version, runEnded, decided, cancellationToken));
        }

        return held.Count > 0;
    }

    private Task HoldAsync((string, long, bool, string?) announcement)
    {
        lock (_gate)
        {
            _held.Add(announcement);
        }

        return Task.CompletedTask;
    }
}
