namespace DataRights.Core.Email;

/// <summary>Sends messages. Idempotent on <see cref="EmailMessage.Id"/>.</summary>
public interface IEmailSender
{
    /// <summary>
    /// Sends, or does nothing when this id was sent before. Throws when sending failed and may be retried, and
    /// <see cref="EmailSendInProgressException"/>, having sent nothing, when another run is sending the same id now.
    /// </summary>
    Task<EmailSendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken);
}

/// <summary>What the sender did: sent now, or already sent earlier; with the provider's message id when it has one.</summary>
public sealed record EmailSendResult(bool AlreadySent, string? ProviderMessageId)
{
    /// <summary>
    /// Sent, but the record that it was could not be written: a retry of the step would send it again, so nothing after
    /// the send should fail the step.
    /// </summary>
    public bool NotRecorded { get; init; }
}
