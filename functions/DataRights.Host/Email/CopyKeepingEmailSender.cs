using DataRights.Core.Email;
using DataRights.Core.Ports;

namespace DataRights.Host.Email;

/// <summary>
/// Wraps the chosen mail adapter: once a message about one request has gone (or the adapter finds it went before),
/// keeps its copy for staff (<see cref="SentEmailCopy"/>: no links, so no live token at rest). The copy is keyed by
/// message id, so a retried step keeps one copy; if keeping it fails the step fails, and its retry finds the message
/// sent (nothing goes twice) and keeps the copy then.
/// </summary>
public sealed class CopyKeepingEmailSender(IEmailSender inner, ISentEmailCopies copies, TimeProvider time) : IEmailSender
{
    /// <summary>The adapter that sends.</summary>
    public IEmailSender Inner => inner;

    public static CopyKeepingEmailSender Around(IEmailSender inner, IServiceProvider services) =>
        new(inner, services.GetRequiredService<ISentEmailCopies>(), services.GetRequiredService<TimeProvider>());

    public async Task<EmailSendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var result = await inner.SendAsync(message, cancellationToken);
        if (SentEmailCopy.Of(message, time.GetUtcNow()) is { } copy)
        {
            await copies.KeepAsync(copy, cancellationToken);
        }

        return result;
    }
}
