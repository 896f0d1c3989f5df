using System.Text.RegularExpressions;
using MimeKit;

namespace DataRights.Host.Email;

/// <summary>Reads the file outbox back (Development only): headers, the text part and the links in it.</summary>
public static partial class OutboxReader
{
    public static IReadOnlyList<OutboxEntry> List(string folder) =>
        !Directory.Exists(folder)
            ? []
            : [.. new DirectoryInfo(folder).GetFiles("*.eml")
                .Select(f => (File: f, Entry: Read(f.FullName)))
                .OrderByDescending(x => x.Entry.SentAt).ThenByDescending(x => x.File.LastWriteTimeUtc)
                .Select(x => x.Entry)];

    public static OutboxEntry Read(string path)
    {
        var message = MimeMessage.Load(path);
        var text = message.TextBody ?? string.Empty;
        return new OutboxEntry(
            Path.GetFileName(path),
            message.To.Mailboxes.FirstOrDefault()?.Address ?? string.Empty,
            message.Subject ?? string.Empty,
            message.Date == DateTimeOffset.MinValue ? File.GetLastWriteTimeUtc(path) : message.Date,
            message.Headers["X-DataRights-Request-Id"] ?? string.Empty,
            text,
            [.. Link().Matches(text).Select(m => m.Value)]);
    }

    [GeneratedRegex(@"https?://[^\s""<>]+")]
    public static partial Regex Link();
}

/// <summary>One message in the outbox.</summary>
public sealed record OutboxEntry(string File, string To, string Subject, DateTimeOffset SentAt, string RequestId, string Text, IReadOnlyList<string> Links);
