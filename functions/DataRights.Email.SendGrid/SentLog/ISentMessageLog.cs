namespace DataRights.Email.SendGrid.SentLog;

/// <summary>
/// What has been handed to the provider, by our message id, and what is being handed over now. SendGrid takes no
/// idempotency key, so this log is what keeps one <c>EmailMessage.Id</c> from being sent twice: a send claims the id
/// first (one claim at a time, held for a while), then records it sent or lets the claim go. A step delivered again
/// while the first run still sends finds the claim held and sends nothing; a run that died leaves its claim until its
/// hold runs out, and the next claim takes it over.
/// </summary>
public interface ISentMessageLog
{
    /// <summary>
    /// Null when <paramref name="messageId"/> was never recorded sent (a claim held is not a send); otherwise the
    /// provider's message id, or an empty string when the provider gave none.
    /// </summary>
    Task<string?> FindAsync(string messageId);

    /// <summary>
    /// Claims <paramref name="messageId"/> for one send, held until <paramref name="now"/> + <paramref name="holdFor"/>:
    /// <see cref="SendClaimStatus.Claimed"/> (send it, then <see cref="RecordAsync"/> or <see cref="ReleaseAsync"/>),
    /// <see cref="SendClaimStatus.Sent"/> (sent before: send nothing) or <see cref="SendClaimStatus.Held"/> (another run
    /// holds it until <see cref="SendClaim.HeldUntil"/>: send nothing now). A claim whose hold has run out is taken over.
    /// </summary>
    Task<SendClaim> ClaimAsync(string messageId, DateTimeOffset now, TimeSpan holdFor);

    /// <summary>
    /// Holds <paramref name="claim"/> until <paramref name="until"/> (before a wait between attempts); null when it is no
    /// longer this run's (its hold ran out and another run took it over, or the message was recorded sent).
    /// </summary>
    Task<SendClaim?> ExtendAsync(SendClaim claim, DateTimeOffset until);

    /// <summary>Records the claimed message sent, ending the claim. A message recorded sent before keeps its first record.</summary>
    Task RecordAsync(SendClaim claim, string? providerId);

    /// <summary>Lets <paramref name="claim"/> go without a send (refused, or failed for now): the next claim may send at once. A claim no longer this run's is left as it is.</summary>
    Task ReleaseAsync(SendClaim claim);
}
