using DataRights.Core.Ports;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Durable;

/// <summary>
/// Waits for an announced commit to land: until the request has reached the version the commit gives it. The decision's
/// process commits right after announcing, so it normally has by the time an activity asks; one that has not within
/// <see cref="DurableOptions.AnnouncedCommitWait"/> is taken as never landing (its process died, or the commit was
/// refused). It waits by the wall clock, as the commit it waits for is real.
/// </summary>
public sealed class CommitWait(IRequestStore store, IOptions<DurableOptions> options)
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(500);

    /// <summary>True once request <paramref name="requestId"/> is at <paramref name="version"/> or later; false when it was not within the wait.</summary>
    public async Task<bool> LandedAsync(string requestId, long version, CancellationToken cancellationToken)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var pause = FirstPause;
        while (true)
        {
            if (await store.GetAsync(requestId, cancellationToken) is { } request && request.Version >= version)
            {
                return true;
            }

            if (waited.Elapsed >= options.Value.AnnouncedCommitWait)
            {
                return false;
            }

            await Task.Delay(pause, cancellationToken);
            pause = TimeSpan.FromTicks(Math.Min(LongestPause.Ticks, pause.Ticks * 2));
        }
    }
}
