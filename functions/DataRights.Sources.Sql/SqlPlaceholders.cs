using System.Globalization;
using System.Text;
using DataRights.Core.Sources.Registry;

namespace DataRights.Host.Sources;

/// <summary>
/// Finds the allowed <c>$name</c> placeholders (<see cref="SourceRegistrationValidator.QueryParameters"/>)
/// in an operator's statement, outside quoted text and identifiers, and can rewrite them to PostgreSQL's
/// positional <c>$1</c>, <c>$2</c>... Only placeholders are rewritten: no value ever goes into the text.
/// </summary>
internal static class SqlPlaceholders
{
    /// <summary>The allowed placeholders the statement uses, each once, in order of first use.</summary>
    public static IReadOnlyList<string> Used(string sql) => ToPositional(sql).Order;

    /// <summary>The statement with each allowed placeholder replaced by its position (a name used twice keeps one position), and the names by position.</summary>
    public static (string Text, IReadOnlyList<string> Order) ToPositional(string sql)
    {
        var text = new StringBuilder(sql.Length);
        var order = new List<string>();
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c is '\'' or '"')
            {
                var end = EndOfQuoted(sql, i, escapes: c == '\'' && i > 0 && sql[i - 1] is 'E' or 'e' && (i == 1 || !IsIdentifierPart(sql[i - 2])));
                text.Append(sql, i, end - i);
                i = end;
            }
            else if (c == '$' && (i == 0 || !IsIdentifierPart(sql[i - 1])))
            {
                var nameEnd = i + 1;
                while (nameEnd < sql.Length && IsIdentifierPart(sql[nameEnd]))
                {
                    nameEnd++;
                }

                var name = sql[i..nameEnd];
                if (nameEnd < sql.Length && sql[nameEnd] == '$')
                {
                    // A dollar-quoted string ($$...$$ or $tag$...$tag$): copied as it is.
                    var tag = sql[i..(nameEnd + 1)];
                    var close = sql.IndexOf(tag, nameEnd + 1, StringComparison.Ordinal);
                    var end = close < 0 ? sql.Length : close + tag.Length;
                    text.Append(sql, i, end - i);
                    i = end;
                }
                else if (SourceRegistrationValidator.QueryParameters.Contains(name))
                {
                    var position = order.IndexOf(name);
                    if (position < 0)
                    {
                        order.Add(name);
                        position = order.Count - 1;
                    }

                    text.Append('$').Append((position + 1).ToString(CultureInfo.InvariantCulture));
                    i = nameEnd;
                }
                else
                {
                    text.Append(name);
                    i = nameEnd;
                }
            }
            else
            {
                text.Append(c);
                i++;
            }
        }

        return (text.ToString(), order);
    }

    // Index just past the closing quote; a doubled quote is part of the text, as is a backslash escape in E'...'.
    private static int EndOfQuoted(string sql, int start, bool escapes)
    {
        var quote = sql[start];
        var i = start + 1;
        while (i < sql.Length)
        {
            if (escapes && sql[i] == '\\')
            {
                i += 2;
            }
            else if (sql[i] == quote)
            {
                if (i + 1 < sql.Length && sql[i + 1] == quote)
                {
                    i += 2;
                }
                else
                {
                    return i + 1;
                }
            }
            else
            {
                i++;
            }
        }

        return sql.Length;
    }

    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
