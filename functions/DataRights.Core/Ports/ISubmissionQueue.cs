namespace DataRights.Core.Ports;

/// <summary>
/// Where a valid public submission waits between its answer and its keeping: sending it is the answer's one write. What
/// reads the queue (the Function App's queue trigger, the stand-alone host's listener) keeps it in the
/// <see cref="ISubmissionInbox"/> and starts its taking in, then removes it from the queue; a message that keeps failing
/// goes to the queue's poison queue, which the hourly workflow check empties the same way.
/// </summary>
public interface ISubmissionQueue
{
    /// <summary>Puts a submission just received on the queue (one call to the queue service).</summary>
    Task SendAsync(ReceivedSubmission submission, CancellationToken cancellationToken);
}
