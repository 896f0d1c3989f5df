using DataRights.Core.Email;

namespace DataRights.Host.Email;

/// <summary>
/// A send made outside a request's steps (the staff digest, a purge's task to a source's owner, the email that held
/// records were erased), whose job has no later attempt of its own to fall back on: when another run is sending the
/// same message right now (<see cref="EmailSendInProgressException"/>: a job delivered again while its first run still
/// ran), it waits until that run's hold on the message ends and asks once more. By then the other run has sent it (this
/// one sends nothing) or let it go (this one sends it), so the job neither fails nor sends twice.
/// </summary>
public static class HeldSends
{
    /// <summary>The longest wait for another run's hold (the sender's hold is 2 minutes by default).</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(5);

    /// <summary>Past the hold's end before asking again: a timer may fire a little early, and the hold would still stand.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(1);

    /// <summary>Sends <paramref name="message"/>, waiting once for another run's hold on it to end.</summary>
    public static async Task<EmailSendResult> SendWaitingForAnyHoldAsync(
        this IEmailSender sender, EmailMessage message, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(time);
        try
        {
            return await sender.SendAsync(message, cancellationToken);
        }
        catch (EmailSendInProgressException held)
        {
            var wait = held.HeldUntil - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait < LongestWait ? wait + Margin : LongestWait, time, cancellationToken);
            }

            return await sender.SendAsync(message, cancellationToken);
        }
    }
}
