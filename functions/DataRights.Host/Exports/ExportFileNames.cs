using System.Globalization;
using System.Text;

namespace DataRights.Host.Exports;

/// <summary>
/// The names of the files inside a person's export, which they read: a source's or category's display name
/// made safe for a file name (letters, digits, spaces and hyphens), unique within the package.
/// </summary>
internal sealed class ExportFileNames
{
    private const int MaxStem = 60;

    // Unzipped on Windows or macOS, names differing only in case are the same file.
    private readonly HashSet<string> _taken = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="reserved">Paths the package writes under fixed names.</param>
    public ExportFileNames(params string[] reserved) => _taken.UnionWith(reserved);

    /// <summary>A path in <paramref name="folder"/> (empty, or ending in '/') named after <paramref name="displayName"/>, with "-2", "-3" … when taken.</summary>
    public string Take(string folder, string displayName, string extension, string otherwise)
    {
        var stem = Safe(displayName, otherwise);
        var name = folder + stem + extension;
        for (var n = 2; !_taken.Add(name); n++)
        {
            name = folder + stem + "-" + n.ToString(CultureInfo.InvariantCulture) + extension;
        }

        return name;
    }

    /// <summary>Letters, digits and hyphens kept; every other run of characters becomes one space ("Call recordings (metadata)": "Call recordings metadata").</summary>
    public static string Safe(string displayName, string otherwise)
    {
        var name = new StringBuilder();
        var gap = false;
        foreach (var c in displayName.Normalize(NormalizationForm.FormC))
        {
            if (char.IsLetterOrDigit(c) || c == '-')
            {
                if (gap && name.Length > 0)
                {
                    name.Append(' ');
                }

                name.Append(c);
                gap = false;
            }
            else
            {
                gap = true;
            }
        }

        var stem = name.ToString(0, Math.Min(name.Length, MaxStem)).Trim(' ', '-');
        if (stem.Length == 0)
        {
            return otherwise;
        }

        // Windows refuses these as file names, with or without an extension.
        return IsDeviceName(stem) ? stem + " records" : stem;
    }

    private static bool IsDeviceName(string stem) =>
        stem.ToUpperInvariant() is "CON" or "PRN" or "AUX" or "NUL"
        || (stem.Length == 4 && (stem.StartsWith("COM", StringComparison.OrdinalIgnoreCase) || stem.StartsWith("LPT", StringComparison.OrdinalIgnoreCase)) && char.IsAsciiDigit(stem[3]));
}
