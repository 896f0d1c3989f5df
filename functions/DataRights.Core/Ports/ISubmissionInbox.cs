namespace DataRights.Core.Ports;

/// <summary>
/// Public submissions received and not yet taken in. A valid submission is answered once it is kept here (one write),
/// whatever becomes of it; taking it in (the repeat check, the address's limit, the claim, the request's write) happens
/// after, the same way for every submission, and removes it. What is kept holds the person's details, so nothing stays
/// here longer than its taking in. One whose taking in kept stopping the program is set aside here, for staff to see
/// (<see cref="ListSetAsideAsync"/>) and to have tried again or handle by hand.
/// </summary>
public interface ISubmissionInbox
{
    /// <summary>Keeps a submission just received; keeping one already kept changes nothing.</summary>
    Task AddAsync(ReceivedSubmission submission, CancellationToken cancellationToken);

    /// <summary>The submission with that id, or null once it is taken in (or was never kept).</summary>
    Task<ReceivedSubmission?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Removes a submission once taken in; removing one already gone changes nothing.</summary>
    Task RemoveAsync(string id, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> submissions received before <paramref name="receivedBefore"/> and not taken in yet, oldest first.</summary>
    Task<IReadOnlyList<ReceivedSubmission>> ListAsync(DateTimeOffset receivedBefore, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the kept submission aside (<paramref name="setAside"/>), or takes the mark off (null) so that it is taken in as
    /// usual; false when it is no longer kept.
    /// </summary>
    Task<bool> MarkAsync(string id, SubmissionSetAside? setAside, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> submissions set aside (those staff asked to try again among them), oldest first.</summary>
    Task<IReadOnlyList<ReceivedSubmission>> ListSetAsideAsync(int max, CancellationToken cancellationToken);
}
