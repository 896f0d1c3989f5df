using System.Text;
using System.Text.RegularExpressions;

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
        var raw = File.ReadAllText(path);
        var headerEnd = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headers = raw[..headerEnd].Split("\r\n").Select(l => l.Split(": ", 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        var parts = raw.Split("Content-Transfer-Encoding: base64\r\n\r\n").Skip(1)
            .Select(p => Encoding.UTF8.GetString(Convert.FromBase64String(string.Concat(p.Split("\r\n--")[0].Split("\r\n")))))
            .ToList();
        var text = parts.ElementAtOrDefault(0) ?? string.Empty;
        return new OutboxMessage(
            Path.GetFileName(path),
            headers.GetValueOrDefault("To", string.Empty).Trim('<', '>'),
            DecodeSubject(headers.GetValueOrDefault("Subject", string.Empty)),
            text,
            parts.ElementAtOrDefault(1) ?? string.Empty,
            [.. Link().Matches(text).Select(m => m.Value)]);
    }

    private static string DecodeSubject(string subject) =>
        subject.StartsWith("=?utf-8?B?", StringComparison.Ordinal)
            ? Encoding.UTF8.GetString(Convert.FromBase64String(subject[10..^2]))
            : subject;

    [GeneratedRegex(@"https?://[^\s""<>]+")]
    private static partial Regex Link();
}

public sealed record OutboxMessage(string FileName, string To, string Subject, string Text, string Html, IReadOnlyList<string> Links)
{
    public string PathOfLink(string segment) =>
        new Uri(Links.Single(l => l.Contains(segment, StringComparison.Ordinal))).PathAndQuery;
}
