using DataRights.Core.Ports;

namespace DataRights.Testing;

/// <summary>Waiting for the public submissions a test sent to be taken in (each is answered once kept, and taken in after).</summary>
public static class SubmissionInboxWaits
{
    /// <summary>Waits until no submission is kept any more (all taken in: stored, found a repeat, or past a limit), at most a minute.</summary>
    public static async Task AllTakenInAsync(this ISubmissionInbox inbox)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((await inbox.ListAsync(DateTimeOffset.MaxValue, 1, CancellationToken.None)).Count > 0)
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("A submission was still not taken in after 60 s.");
            }

            await Task.Delay(20);
        }
    }
}
