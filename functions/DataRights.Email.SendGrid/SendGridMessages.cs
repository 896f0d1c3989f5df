using DataRights.Core.Email;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace DataRights.Email.SendGrid;

/// <summary>
/// Our <see cref="EmailMessage"/> as a <see cref="SendGridMessage"/>. Tracking is off: click tracking and Google
/// Analytics would rewrite the signed action links, and open/subscription tracking would add pixels and links nobody
/// asked for. The custom args carry our opaque ids only: SendGrid keeps them as non-personal data it cannot redact.
/// </summary>
internal static class SendGridMessages
{
    public static SendGridMessage Create(EmailMessage message, SendGridOptions options)
    {
        var mail = new SendGridMessage();
        mail.SetFrom(options.FromEmail, string.IsNullOrWhiteSpace(options.FromName) ? null : options.FromName);
        mail.AddTo(message.To);
        // The subject once, for the whole message (MailHelper would put it on the personalization).
        mail.SetGlobalSubject(message.Subject);
        // Empty bodies are left out (SendGrid refuses an empty content value); the library puts text/plain first.
        if (message.TextBody.Length > 0)
        {
            mail.AddContent(MimeType.Text, message.TextBody);
        }

        if (message.HtmlBody.Length > 0)
        {
            mail.AddContent(MimeType.Html, message.HtmlBody);
        }

        mail.SetClickTracking(enable: false, enableText: false);
        mail.SetOpenTracking(enable: false);
        mail.SetSubscriptionTracking(enable: false);
        mail.SetGoogleAnalytics(enable: false);
        mail.AddGlobalCustomArg("request_id", message.RequestId);
        mail.AddGlobalCustomArg("message_id", message.Id);
        return mail;
    }
}
