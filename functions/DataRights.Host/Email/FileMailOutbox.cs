using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DataRights.Core.Email;
using DataRights.Host.Hosting;
using Microsoft.Extensions.Options;

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
        if (File.Exists(path))
        {
            return Task.FromResult(new EmailSendResult(AlreadySent: true, null));
        }

        var temporary = path + "." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)) + ".tmp";
        using (var file = Hosting.OwnerOnlyFiles.Create(temporary, FileMode.CreateNew))
        {
            file.Write(new UTF8Encoding(false).GetBytes(Render(message, options.Value, time.GetUtcNow())));
        }

        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return Task.FromResult(new EmailSendResult(AlreadySent: true, null));
        }

        return Task.FromResult(new EmailSendResult(AlreadySent: false, Path.GetFileName(path)));
    }

    public static string FileName(string messageId)
    {
        var safe = new string([.. messageId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);
        return safe + ".eml";
    }

    public static string Render(EmailMessage message, DataRightsOptions options, DateTimeOffset now)
    {
        var boundary = "dr-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(message.Id)))[..24];
        var builder = new StringBuilder();
        builder.Append("From: ").Append(DisplayName(options.OperatorName)).Append(" <").Append(options.PrivacyContactEmail).Append(">\r\n");
        builder.Append("To: <").Append(message.To).Append(">\r\n");
        builder.Append("Subject: ").Append(EncodeWord(message.Subject)).Append("\r\n");
        builder.Append("Date: ").Append(now.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture)).Append("\r\n");
        builder.Append("Message-ID: <").Append(boundary).Append("@datarights.local>\r\n");
        builder.Append("X-DataRights-Message-Id: ").Append(message.Id).Append("\r\n");
        builder.Append("X-DataRights-Request-Id: ").Append(message.RequestId).Append("\r\n");
        builder.Append("MIME-Version: 1.0\r\n");
        builder.Append("Content-Type: multipart/alternative; boundary=\"").Append(boundary).Append("\"\r\n\r\n");
        AppendPart(builder, boundary, "text/plain", message.TextBody);
        AppendPart(builder, boundary, "text/html", message.HtmlBody);
        builder.Append("--").Append(boundary).Append("--\r\n");
        return builder.ToString();
    }

    private static void AppendPart(StringBuilder builder, string boundary, string type, string body)
    {
        builder.Append("--").Append(boundary).Append("\r\n");
        builder.Append("Content-Type: ").Append(type).Append("; charset=utf-8\r\n");
        builder.Append("Content-Transfer-Encoding: base64\r\n\r\n");
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(body));
        for (var i = 0; i < encoded.Length; i += 76)
        {
            builder.Append(encoded, i, Math.Min(76, encoded.Length - i)).Append("\r\n");
        }
    }

    private static string DisplayName(string name) =>
        name.All(c => c is >= ' ' and <= '~') ? "\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"" : EncodeWord(name);

    // RFC 2047 encoded-word, so names and subjects with any characters survive every mail reader.
    private static string EncodeWord(string text) =>
        text.All(c => c is >= ' ' and <= '~') ? text : "=?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(text)) + "?=";
}
