using System.Globalization;
using System.Text.RegularExpressions;
using DataRights.Host.Pages;

namespace DataRights.Host.StaffConsole.Metrics;

/// <summary>
/// A horizontal bar chart drawn on the server as inline SVG: no script, no style attributes (the CSP allows no inline
/// styles; presentation attributes such as <c>fill</c> are not styles). It is an image named by its own
/// <c>&lt;title&gt;</c> and <c>&lt;desc&gt;</c>, each bar has its label and its number written beside it, so colour is
/// never the only cue, and the page puts the same numbers in a table next to it.
/// </summary>
public static partial class SvgBarChart
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    private const int Width = 640;
    private const int LabelWidth = 200;
    private const int BarSpace = 360;
    private const int RowHeight = 30;
    private const int BarHeight = 20;
    private const int Padding = 8;

    // Dark blue on white (contrast over 7:1) for the bars, near-black for the words.
    private const string BarColour = "#1d70b8";
    private const string TextColour = "#0b0c0c";

    /// <summary>
    /// The chart. <paramref name="id"/> (lower-case letters, digits and hyphens) makes the ids of its title and
    /// description, so it must be unique on the page. Values may not be negative.
    /// </summary>
    public static HtmlString Render(string id, string title, string description, IReadOnlyList<(string Label, int Value)> bars)
    {
        ArgumentNullException.ThrowIfNull(bars);
        if (!IdPattern().IsMatch(id))
        {
            throw new ArgumentException("A chart's id is lower-case letters, digits and hyphens, starting with a letter.", nameof(id));
        }

        if (bars.Any(b => b.Value < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(bars), "A bar chart of counts has no negative bars.");
        }

        var max = bars.Count == 0 ? 0 : bars.Max(b => b.Value);
        var height = (Padding * 2) + (Math.Max(bars.Count, 1) * RowHeight);
        var rows = bars.Select((bar, i) =>
        {
            var top = Padding + (i * RowHeight);
            var length = max == 0 ? 0 : (int)Math.Round((double)bar.Value / max * (BarSpace - 60), MidpointRounding.AwayFromZero);
            var baseline = top + 15;
            return Html.Of($"""
                <g>
                <text x="{Number(LabelWidth - 8)}" y="{Number(baseline)}" text-anchor="end" font-size="14" fill="{TextColour}">{bar.Label}</text>
                <rect x="{Number(LabelWidth)}" y="{Number(top)}" width="{Number(length)}" height="{Number(BarHeight)}" fill="{BarColour}"></rect>
                <text x="{Number(LabelWidth + length + 6)}" y="{Number(baseline)}" font-size="14" font-weight="bold" fill="{TextColour}">{bar.Value.ToString("#,##0", English)}</text>
                </g>

                """);
        });
        return Html.Of($"""
            <svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {Number(Width)} {Number(height)}" width="100%" focusable="false">
            <title id="{id}-title">{title}</title>
            <desc id="{id}-desc">{description}</desc>
            {Html.Join(rows)}</svg>
            """);
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^[a-z][a-z0-9-]*$")]
    private static partial Regex IdPattern();
}
