using System.Globalization;

namespace DataRights.Core.Text;

/// <summary>Counts as people read them: "1 record", "3 records", "0 records".</summary>
public static class Plural
{
    public static string Count(long count, string singular, string? plural = null) =>
        count.ToString("N0", CultureInfo.InvariantCulture) + " " + (count == 1 ? singular : plural ?? singular + "s");

    /// <summary>
    /// A name as it reads inside a sentence: a leading "Our" or "The" (a description, not a proper
    /// name) in lower case, so "Our payment processor" reads "our payment processor".
    /// </summary>
    public static string InSentence(string name) =>
        name.StartsWith("Our ", StringComparison.Ordinal) || name.StartsWith("The ", StringComparison.Ordinal)
            ? char.ToLowerInvariant(name[0]) + name[1..]
            : name;

    /// <summary>"a", "a and b", "a, b and c"; items that hold commas themselves are set apart with semicolons ("a, x; and b").</summary>
    public static string List(IReadOnlyList<string> items)
    {
        if (items.Count < 2)
        {
            return items.Count == 0 ? string.Empty : items[0];
        }

        var commas = items.Any(i => i.Contains(',', StringComparison.Ordinal));
        return string.Join(commas ? "; " : ", ", items.Take(items.Count - 1)) + (commas ? "; and " : " and ") + items[^1];
    }
}
