using PdfSharp.Fonts;

namespace DataRights.Host.StaffConsole.Evidence;

/// <summary>
/// The PDF's fonts: DejaVu Sans and DejaVu Sans Bold, embedded in this assembly at build time from Debian's
/// fonts-dejavu-core (tools/fonts/ensure-installed.sh installs it), so a PDF renders the same on any machine,
/// Azure's included, without system fonts. Their licence travels with them (DejaVu-copyright.txt).
/// </summary>
internal sealed class EvidenceFonts : IFontResolver
{
    public const string Family = "DataRights DejaVu Sans";

    private const string Regular = "DejaVuSans";
    private const string Bold = "DejaVuSans-Bold";
    private static readonly Lock Gate = new();

    /// <summary>Makes PDFsharp use these fonts (its resolver is process-wide; set once).</summary>
    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is not EvidenceFonts)
            {
                GlobalFontSettings.FontResolver = new EvidenceFonts();
            }
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        // Every family asked for gets DejaVu: nothing else is there to give. Italic is slanted by PDFsharp.
        new(bold ? Bold : Regular, mustSimulateBold: false, mustSimulateItalic: italic);

    public byte[]? GetFont(string faceName)
    {
        using var stream = typeof(EvidenceFonts).Assembly.GetManifestResourceStream($"{typeof(EvidenceFonts).Namespace}.{faceName}.ttf")
            ?? throw new InvalidOperationException($"The font {faceName} is not embedded in this build: run tools/fonts/ensure-installed.sh and build again.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
