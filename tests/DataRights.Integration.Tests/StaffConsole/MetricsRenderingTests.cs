using System.Xml.Linq;
using DataRights.Core.Deadlines;
using DataRights.Core.Metrics;
using DataRights.Core.Requests;
using DataRights.Host.StaffConsole.Metrics;

namespace DataRights.Integration.Tests.StaffConsole;

/// <summary>The metrics page's markup, rendered without a server: escaping, the charts' names, and their tables.</summary>
public sealed class MetricsRenderingTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void Render_LabelsTitleAndDescriptionWithMarkupCharacters_AreEscapedAndTheSvgStaysWellFormed()
    {
        var chart = SvgBarChart.Render("chart-test", "Q&A <b>bold</b>", "Fish & chips < 5", [("<script>alert(1)</script> & co", 3), ("\"quoted\" 'label'", 1)]).Value;

        Assert.DoesNotContain("<script", chart, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", chart, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co", chart, StringComparison.Ordinal);
        var svg = XElement.Parse(chart);
        Assert.Equal("Q&A <b>bold</b>", svg.Element(Svg + "title")!.Value);
        Assert.Equal("Fish & chips < 5", svg.Element(Svg + "desc")!.Value);
        Assert.Equal(["<script>alert(1)</script> & co", "\"quoted\" 'label'"], Labels(svg));
    }

    [Fact]
    public void Render_IsAnImageNamedByItsTitleAndDescription_WithNoScriptOrStyle()
    {
        var svg = XElement.Parse(SvgBarChart.Render("chart-test", "Requests by right", "Most for one right: Erasure.", [("Erasure", 4)]).Value);

        Assert.Equal("img", (string?)svg.Attribute("role"));
        var named = ((string?)svg.Attribute("aria-labelledby"))!.Split(' ');
        Assert.Equal([svg.Element(Svg + "title")!.Attribute("id")!.Value, svg.Element(Svg + "desc")!.Attribute("id")!.Value], named);
        Assert.Equal(["chart-test-title", "chart-test-desc"], named);
        Assert.DoesNotContain(svg.DescendantsAndSelf(), e => e.Attribute("style") is not null || e.Name.LocalName is "script" or "style");
    }

    [Fact]
    public void Render_WritesEveryValueOnItsBar_BarsInProportion()
    {
        var svg = XElement.Parse(SvgBarChart.Render("chart-test", "t", "d", [("Ten", 10), ("Five", 5), ("None", 0), ("Many", 1234)]).Value);

        Assert.Equal(["10", "5", "0", "1,234"], Values(svg));
        var widths = svg.Descendants(Svg + "rect").Select(r => (int)r.Attribute("width")!).ToList();
        Assert.Equal(300, widths[3]);
        Assert.Equal([2, 1, 0], widths.Take(3).Select(w => w == 0 ? 0 : (int)Math.Round(w / (widths[1] / 1.0))));
    }

    [Theory]
    [InlineData("Chart")]
    [InlineData("a b")]
    [InlineData("x\" onload=\"y")]
    public void Render_IdThatIsNotLowerCaseLettersDigitsAndHyphens_IsRefused(string id) =>
        Assert.Throws<ArgumentException>(() => SvgBarChart.Render(id, "t", "d", []));

    [Fact]
    public void Render_NegativeValue_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SvgBarChart.Render("chart-test", "t", "d", [("Less than nothing", -1)]));

    [Fact]
    public void MetricsView_EachChartsNumbersAppearInTheTableBesideIt()
    {
        var page = Page();

        var charts = page.Descendants(Svg + "svg").ToList();
        Assert.Equal(3, charts.Count);
        foreach (var chart in charts)
        {
            var table = chart.ElementsAfterSelf("table").First();
            var rows = table.Element("tbody")!.Elements("tr").ToDictionary(tr => tr.Element("th")!.Value, tr => tr.Elements("td").First().Value);
            Assert.Equal(Labels(chart).Zip(Values(chart)).ToDictionary(p => p.First, p => p.Second), rows);
            Assert.False(string.IsNullOrWhiteSpace(table.Element("caption")?.Value));
            Assert.All(table.Descendants("th"), th => Assert.Contains((string?)th.Attribute("scope"), new[] { "col", "row" }));
        }
    }

    [Fact]
    public void MetricsView_GivesTheFiguresInWords_AndLinksToTheCsvItIsGiven()
    {
        var page = Page();
        var text = page.Value;

        Assert.Contains("6 requests received.", text, StringComparison.Ordinal);
        Assert.Contains("66% closed on time (2 of 3).", text, StringComparison.Ordinal);
        Assert.Contains("Half were closed within 20 days; 9 in 10 within 40 days", text, StringComparison.Ordinal);
        Assert.Contains("2 requests still open, 1 of them overdue now.", text, StringComparison.Ordinal);
        Assert.Contains("1 deadline extended.", text, StringComparison.Ordinal);
        Assert.Equal("Request metrics", page.Element("h1")!.Value);
        var link = Assert.Single(page.Descendants("a"));
        Assert.Equal("/console/metrics/ccpa-2025.csv?x=1&y=2", (string?)link.Attribute("href"));
        Assert.Equal("Download the California metrics for 2025 (CSV)", link.Value);
        Assert.Contains("Requests received from 1 January 2026 to 31 March 2026 (UTC)", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://elsewhere.example/metrics.csv")]
    [InlineData("//elsewhere.example/metrics.csv")]
    [InlineData("javascript:alert(1)")]
    public void MetricsView_CsvAddressOffThisSite_IsRefused(string url) =>
        Assert.Throws<ArgumentException>(() => MetricsView.Render(Report(), 2025, url));

    /// <summary>The rendered page, parsed (it must be well-formed to parse).</summary>
    [Fact]
    public void MetricsView_RequestsClosedOnTheDayTheyCame_SaysSo_NotWithinZeroDays()
    {
        var report = MetricsCalculator.Compute(
            [
                Figures(RequestType.Access, Jurisdiction.UK, RequestStatus.Completed, "2026-01-05T09:00Z", "2026-01-05", "2026-02-05", "2026-01-05T11:00Z"),
                Figures(RequestType.Erasure, Jurisdiction.UK, RequestStatus.Completed, "2026-01-06T09:00Z", "2026-01-06", "2026-02-06", "2026-01-06T15:00Z"),
            ],
            new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 3, 20, 12, 0, 0, TimeSpan.Zero),
            DeadlineRegimes.Default);

        var text = XElement.Parse("<main>" + MetricsView.Render(report, 2025, "/m.csv").Value + "</main>").Value;

        Assert.Contains("Half were closed on the day they were received; 9 in 10 on the day they were received (calendar days from receipt).", text, StringComparison.Ordinal);
        Assert.DoesNotContain("0 days", text, StringComparison.Ordinal);
    }

    private static XElement Page() => XElement.Parse("<main>" + MetricsView.Render(Report(), 2025, "/console/metrics/ccpa-2025.csv?x=1&y=2").Value + "</main>");

    // Closed in 20, 40 and 5 days (one a day late); one open and overdue, one open and not yet due; one lapsed.
    private static MetricsReport Report() => MetricsCalculator.Compute(
        [
            Figures(RequestType.Access, Jurisdiction.UK, RequestStatus.Completed, "2026-01-05T10:00Z", "2026-01-05", "2026-02-05", "2026-01-25T10:00Z"),
            Figures(RequestType.Erasure, Jurisdiction.UK, RequestStatus.Completed, "2026-01-10T10:00Z", "2026-01-10", "2026-02-18", "2026-02-19T10:00Z", extended: true),
            Figures(RequestType.Erasure, Jurisdiction.UsCa, RequestStatus.Rejected, "2026-02-01T18:00Z", "2026-02-01", "2026-03-18", "2026-02-06T18:00Z"),
            Figures(RequestType.Objection, Jurisdiction.EU, RequestStatus.Discovering, "2026-03-01T10:00Z", "2026-03-01", "2026-03-10", null),
            Figures(RequestType.Access, Jurisdiction.UK, RequestStatus.Executing, "2026-03-02T10:00Z", "2026-03-02", "2026-04-02", null),
            Figures(RequestType.Erasure, Jurisdiction.UK, RequestStatus.Expired, "2026-03-03T10:00Z", "2026-03-03", "2026-04-03", "2026-03-15T10:00Z"),
        ],
        new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2026, 3, 20, 12, 0, 0, TimeSpan.Zero),
        DeadlineRegimes.Default);

    private static RequestFigures Figures(RequestType type, Jurisdiction jurisdiction, RequestStatus status, string receivedAt, string receivedOn, string dueOn, string? closedAt, bool extended = false) => new(
        "dr_" + Guid.NewGuid().ToString("N"),
        type,
        jurisdiction,
        status,
        DateTimeOffset.Parse(receivedAt, System.Globalization.CultureInfo.InvariantCulture),
        DateOnly.Parse(receivedOn, System.Globalization.CultureInfo.InvariantCulture),
        DateOnly.Parse(dueOn, System.Globalization.CultureInfo.InvariantCulture),
        closedAt is null ? null : DateTimeOffset.Parse(closedAt, System.Globalization.CultureInfo.InvariantCulture),
        extended,
        ClockStopped: false,
        CompletedInPart: false,
        Rejection: null);

    private static List<string> Labels(XElement svg) => svg.Descendants(Svg + "g").Select(g => g.Elements(Svg + "text").First().Value).ToList();

    private static List<string> Values(XElement svg) => svg.Descendants(Svg + "g").Select(g => g.Elements(Svg + "text").Last().Value).ToList();
}
