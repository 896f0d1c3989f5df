using System.Globalization;

namespace DataRights.Core.Text;

/// <summary>Checks shared by every free-text field we accept from outside.</summary>
public static class TextRules
{
    /// <summary>
    /// True when the text holds control characters, invisible direction overrides or broken
    /// UTF-16. Tabs and line breaks are allowed only in multi-line fields.
    /// </summary>
    public static bool HasForbiddenCharacters(string value, bool multiLine)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return true;
                }

                i++;
                continue;
            }

            if (char.IsLowSurrogate(c))
            {
                return true;
            }

            if (multiLine && c is '\n' or '\r' or '\t')
            {
                continue;
            }

            if (char.IsControl(c) || IsDirectionOverride(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when at least one character is neither white space nor invisible formatting (zero-width and the like).</summary>
    public static bool HasVisibleCharacters(string value) =>
        value.Any(c => !char.IsWhiteSpace(c) && char.GetUnicodeCategory(c) != UnicodeCategory.Format);

    /// <summary>Trims and folds runs of white space into one space (for single-line fields).</summary>
    public static string CollapseWhiteSpace(string value) =>
        string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>Counts user-perceived characters, so an accented name is not penalised for its code units.</summary>
    public static int LengthInTextElements(string value) => new StringInfo(value).LengthInTextElements;

    // Bidi embedding and isolate controls can disguise text shown to staff ("Trojan Source").
    private static bool IsDirectionOverride(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';
}
