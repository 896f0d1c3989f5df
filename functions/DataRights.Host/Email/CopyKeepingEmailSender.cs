using DataRights.Core.Email;
using DataRights.Core.Ports;

namespace DataRights.Host.Email;

/// <summary>
/// Wraps the chosen mail adapter: once a message about one request has gone (or the adapter finds it went before),
/// keeps its copy for staff (<see cref="SentEmailCopy"/>: no links, so no live token at rest). The copy is keyed by
/// message id, so a retried step keeps one copy; if keeping it fails the step fails, and its retry finds the message
/// sent (nothing goes twice) and keeps the copy then. Unless the adapter could not record that it sent it
/// (<see cref="EmailSendResult.NotRecorded"/>): a retry would then send it a second time, with a second working link,
/// so the copy is given up instead, and logged (4010).
/// </summary>
public sealed class CopyKeepingEmailSender(IEmailSender inner, ISentEmailCopies copies, TimeProvider time, ILogger<CopyKeepingEmailSender> logger) : IEmailSender
{
    /// <summary>The adapter that sends.</summary>
    public IEmailSender Inner => inner;

    public static CopyKeepingEmailSender Around(IEmailSender inner, IServiceProvider services) =>
        new(inner, services.GetRequiredService<ISentEmailCopies>(), services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<CopyKeepingEmailSender>>());

    public async Task<EmailSendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var result = await inner.SendAsync(message, cancellationToken);
        if (SentEmailCopy.Of(message, time.GetUtcNow()) is { } copy)
        {
            try
            {
                await copies.KeepAsync(copy, cancellationToken);
            }
            catch (Exception ex) when (result.NotRecorded && ex is not OperationCanceledException)
            {
                logger.EmailCopyNotKept(message.Id, ex.GetType().Name);
            }
        }

        return result;
    }
}
