using System.Text.RegularExpressions;
using MimeKit;

namespace DataRights.Testing;

/// <summary>Reads the product's file outbox (.eml) back, as a person's mail reader would.</summary>
public static partial class MailOutbox
{
    public static IReadOnlyList<OutboxMessage> Read(string dataDirectory)
    {
        var folder = Path.Combine(dataDirectory, "outbox");
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return [.. Directory.GetFiles(folder, "*.eml").Order(StringComparer.Ordinal).Select(Parse)];
    }

    public static OutboxMessage Parse(string path)
    {
        var message = MimeMessage.Load(path);
        var text = message.TextBody ?? string.Empty;
        return new OutboxMessage(
            Path.GetFileName(path),
            message.To.Mailboxes.FirstOrDefault()?.Address ?? string.Empty,
            message.Subject ?? string.Empty,
            text,
            message.HtmlBody ?? string.Empty,
            [.. Link().Matches(text).Select(m => m.Value)]);
    }

    [GeneratedRegex(@"https?://[^\s""<>]+")]
    private static partial Regex Link();
}

public sealed record OutboxMessage(string FileName, string To, string Subject, string Text, string Html, IReadOnlyList<string> Links)
{
    public string PathOfLink(string segment) =>
        new Uri(Links.Single(l => l.Contains(segment, StringComparison.Ordinal))).PathAndQuery;
}
