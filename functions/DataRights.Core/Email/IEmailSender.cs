namespace DataRights.Core.Email;

/// <summary>Sends messages. Idempotent on <see cref="EmailMessage.Id"/>.</summary>
public interface IEmailSender
{
    /// <summary>Sends, or does nothing when this id was sent before. Throws when sending failed and may be retried.</summary>
    Task<EmailSendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken);
}

/// <summary>What the sender did: sent now, or already sent earlier; with the provider's message id when it has one.</summary>
public sealed record EmailSendResult(bool AlreadySent, string? ProviderMessageId);
