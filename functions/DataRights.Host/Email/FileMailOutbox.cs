using System.Security.Cryptography;
using System.Text;
using DataRights.Core.Email;
using DataRights.Host.Hosting;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Text;

namespace DataRights.Host.Email;

/// <summary>
/// The default mail adapter: every message becomes an RFC 5322 <c>.eml</c> file (text and HTML
/// parts) in <c>{data}/outbox</c>, named after its id, so a message is written at most once.
/// </summary>
public sealed class FileMailOutbox(IOptions<DataRightsOptions> options, TimeProvider time) : IEmailSender
{
    public string Folder { get; } = Path.Combine(Path.GetFullPath(options.Value.DataDirectory), "outbox");

    public Task<EmailSendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        Hosting.OwnerOnlyFiles.Folder(Folder);
        var path = Path.Combine(Folder, FileName(message.Id));
        var written = Hosting.OwnerOnlyFiles.WriteOnce(path, new UTF8Encoding(false).GetBytes(Render(message, options.Value, time.GetUtcNow())));
        return Task.FromResult(new EmailSendResult(AlreadySent: !written, written ? Path.GetFileName(path) : null));
    }

    public static string FileName(string messageId) => Hosting.OwnerOnlyFiles.SafeName(messageId, ".eml");

    /// <summary>
    /// The message as MIME: a text and an HTML part, each in 8bit when its lines allow (so the file
    /// reads plainly and its links can be opened from it) and quoted-printable otherwise.
    /// </summary>
    public static string Render(EmailMessage message, DataRightsOptions options, DateTimeOffset now)
    {
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(message.Id)))[..24];
        var mime = new MimeMessage { Subject = message.Subject, Date = now, MessageId = $"dr-{id}@datarights.local" };
        mime.From.Add(new MailboxAddress(options.OperatorName, options.PrivacyContactEmail));
        mime.To.Add(new MailboxAddress(string.Empty, message.To));
        mime.Headers.Add("X-DataRights-Message-Id", message.Id);
        mime.Headers.Add("X-DataRights-Request-Id", message.RequestId);
        mime.Body = new MultipartAlternative { Part(TextFormat.Plain, message.TextBody), Part(TextFormat.Html, message.HtmlBody) };
        ((Multipart)mime.Body).Boundary = "dr-" + id;

        using var output = new MemoryStream();
        mime.WriteTo(new FormatOptions { NewLineFormat = NewLineFormat.Dos }, output);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static TextPart Part(TextFormat format, string body)
    {
        var part = new TextPart(format);
        part.SetText(Encoding.UTF8, body);
        part.ContentTransferEncoding = part.GetBestEncoding(EncodingConstraint.EightBit, maxLineLength: 998);
        return part;
    }
}
