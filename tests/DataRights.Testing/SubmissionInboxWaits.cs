using DataRights.Core.Ports;

namespace DataRights.Testing;

/// <summary>Waiting for the public submissions a test sent to be taken in (each is answered once kept, and taken in after).</summary>
public static class SubmissionInboxWaits
{
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(60);

    /// <summary>Waits until the submission queue is empty (<paramref name="queued"/>: how many messages it holds): every submission sent is kept, at most a minute.</summary>
    public static Task QueueReadAsync(Func<CancellationToken, Task<int>> queued)
    {
        ArgumentNullException.ThrowIfNull(queued);
        return UntilAsync(async () => await queued(CancellationToken.None) == 0, "A submission was still on the submission queue after 60 s.");
    }

    /// <summary>
    /// Waits until no submission is queued (<paramref name="queued"/>: how many messages the submission queue holds) or
    /// kept any more (all taken in: stored, found a repeat, or past a limit), at most a minute. A queued submission is
    /// kept before its message is removed, so one on its way is always in one of the two.
    /// </summary>
    public static Task AllTakenInAsync(this ISubmissionInbox inbox, Func<CancellationToken, Task<int>> queued)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        ArgumentNullException.ThrowIfNull(queued);
        return UntilAsync(
            async () => await queued(CancellationToken.None) == 0 && (await inbox.ListAsync(DateTimeOffset.MaxValue, 1, CancellationToken.None)).Count == 0,
            "A submission was still not taken in after 60 s.");
    }

    private static async Task UntilAsync(Func<Task<bool>> done, string timedOut)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await done())
        {
            if (waited.Elapsed > Longest)
            {
                throw new TimeoutException(timedOut);
            }

            await Task.Delay(10);
        }
    }
}
