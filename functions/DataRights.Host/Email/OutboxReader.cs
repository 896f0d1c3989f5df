using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

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
        var raw = File.ReadAllText(path);
        var headerEnd = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headers = raw[..Math.Max(0, headerEnd)].Split("\r\n").Select(l => l.Split(": ", 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0], StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First()[1], StringComparer.OrdinalIgnoreCase);
        var text = raw.Split("Content-Transfer-Encoding: base64\r\n\r\n").Skip(1)
            .Select(p => Encoding.UTF8.GetString(Convert.FromBase64String(string.Concat(p.Split("\r\n--")[0].Split("\r\n")))))
            .FirstOrDefault() ?? string.Empty;
        var sentAt = DateTimeOffset.TryParseExact(headers.GetValueOrDefault("Date"), "ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : File.GetLastWriteTimeUtc(path);
        return new OutboxEntry(
            Path.GetFileName(path),
            headers.GetValueOrDefault("To", string.Empty).Trim('<', '>'),
            Decode(headers.GetValueOrDefault("Subject", string.Empty)),
            sentAt,
            headers.GetValueOrDefault("X-DataRights-Request-Id", string.Empty),
            text,
            [.. Link().Matches(text).Select(m => m.Value)]);
    }

    private static string Decode(string header) =>
        header.StartsWith("=?utf-8?B?", StringComparison.Ordinal) && header.EndsWith("?=", StringComparison.Ordinal)
            ? Encoding.UTF8.GetString(Convert.FromBase64String(header[10..^2]))
            : header;

    [GeneratedRegex(@"https?://[^\s""<>]+")]
    public static partial Regex Link();
}

/// <summary>One message in the outbox.</summary>
public sealed record OutboxEntry(string File, string To, string Subject, DateTimeOffset SentAt, string RequestId, string Text, IReadOnlyList<string> Links);
