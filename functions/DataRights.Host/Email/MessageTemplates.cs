using System.Text;
using System.Text.RegularExpressions;
using DataRights.Core.Workflow;
using DataRights.Host.Pages;

namespace DataRights.Host.Email;

/// <summary>
/// The wording of every message, in plain-text template files (<c>Email/Templates/{kind}.txt</c>, or a
/// folder set by <c>DataRights:Email:TemplatesDirectory</c>), so an operator can change the words
/// without changing code. A template is a <c>subject:</c> line, <c>---</c>, then blocks separated by
/// blank lines: a paragraph, <c>[label]({{link}})</c>, <c>&gt; quote</c> or <c>{{list:name}}</c>.
/// <c>{{name}}</c> inserts a value; values are escaped in the HTML part. All templates load at start.
/// </summary>
public sealed partial class MessageTemplates
{
    private readonly Dictionary<MessageKind, (string Subject, string[] Blocks)> _templates = [];

    public MessageTemplates(string directory)
    {
        foreach (var kind in Enum.GetValues<MessageKind>())
        {
            var path = Path.Combine(directory, Kebab.Of(kind) + ".txt");
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"The message template {path} is missing.");
            }

            var text = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
            var split = text.IndexOf("\n---\n", StringComparison.Ordinal);
            if (!text.StartsWith("subject: ", StringComparison.Ordinal) || split < 0)
            {
                throw new InvalidOperationException($"The message template {path} must start with 'subject: ...' and a '---' line.");
            }

            _templates[kind] = (text[9..split].Trim(), text[(split + 5)..].Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
    }

    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "Email", "Templates");

    public RenderedMessage Render(MessageKind kind, IReadOnlyDictionary<string, string?> values, IReadOnlyDictionary<string, IReadOnlyList<string>> lists, string footer)
    {
        var (subjectTemplate, blocks) = _templates[kind];
        var subject = Fill(subjectTemplate, values);
        var text = new StringBuilder();
        var html = new StringBuilder();
        var links = new List<string>();
        foreach (var block in blocks.Append(footer))
        {
            if (ListBlock().Match(block) is { Success: true } list)
            {
                var items = lists.TryGetValue(list.Groups[1].Value, out var found) ? found : throw new InvalidOperationException($"No list '{list.Groups[1].Value}' for {kind}.");
                foreach (var item in items)
                {
                    text.Append("- ").Append(item).Append("\r\n");
                    html.Append(Html.Of($"<p>• {item}</p>\n").Value);
                }

                text.Append(items.Count > 0 ? "\r\n" : string.Empty);
            }
            else if (LinkBlock().Match(block) is { Success: true } link)
            {
                var label = Fill(link.Groups[1].Value, values);
                var url = Fill(link.Groups[2].Value, values);
                links.Add(url);
                text.Append(label).Append(": ").Append(url).Append("\r\n\r\n");
                html.Append(Html.Of($"<p><a href=\"{url}\">{label}</a></p>\n").Value);
            }
            else
            {
                var quote = block.StartsWith("> ", StringComparison.Ordinal);
                var filled = Fill(quote ? block[2..] : block, values).Trim();
                if (filled.Length == 0)
                {
                    continue;
                }

                text.Append(quote ? "    " : string.Empty).Append(filled).Append("\r\n\r\n");
                html.Append((quote ? Html.Of($"<blockquote>{filled}</blockquote>\n") : Html.Of($"<p>{filled}</p>\n")).Value);
            }
        }

        var page = Html.Of($"""
            <!DOCTYPE html>
            <html lang="en-GB"><head><meta charset="utf-8"><title>{subject}</title></head>
            <body style="font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#0b0c0c;max-width:40em">
            {new HtmlString(html.ToString())}
            </body></html>
            """);
        return new RenderedMessage(subject, text.ToString(), page.Value, links);
    }

    private static string Fill(string template, IReadOnlyDictionary<string, string?> values) =>
        Placeholder().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var value)
            ? value ?? string.Empty
            : throw new InvalidOperationException($"The template uses {{{{{m.Groups[1].Value}}}}}, which this message does not provide."));

    [GeneratedRegex(@"\{\{([a-zA-Z]+)\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^\{\{list:([a-zA-Z]+)\}\}$")]
    private static partial Regex ListBlock();

    [GeneratedRegex(@"^\[([^\]]+)\]\((\{\{[a-zA-Z]+\}\})\)$")]
    private static partial Regex LinkBlock();
}

/// <summary>A message's subject, text and HTML bodies, and the links in it.</summary>
public sealed record RenderedMessage(string Subject, string Text, string Html, IReadOnlyList<string> Links);
