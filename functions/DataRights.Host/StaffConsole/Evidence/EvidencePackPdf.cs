using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace DataRights.Host.StaffConsole.Evidence;

/// <summary>
/// The evidence pack as a PDF (PDFsharp): A4, headings, wrapped lines, labelled facts in two columns, tables as aligned
/// columns, a new page when one is full, and "page n of m" with the reference at the foot of every page.
/// </summary>
public static class EvidencePackPdf
{
    public static byte[] Render(EvidencePack pack)
    {
        EvidenceFonts.EnsureRegistered();
        using var document = new PdfDocument();
        document.Info.Title = $"Evidence pack for request {pack.Reference}";
        document.Info.Author = pack.OperatorName;
        document.Info.Subject = "Data subject request: timeline, audit chain check, actions per system, records kept and why";
        document.Info.CreationDate = pack.GeneratedAt.UtcDateTime;

        using (var writer = new Writer(document))
        {
            writer.Title(document.Info.Title);
            writer.Paragraph($"{pack.OperatorName}. Prepared on {EvidenceText.Time(pack.GeneratedAt)} from the request's record and its audit trail. It contains the requester's name and email address and no other personal data: keep it with the controller's records.", writer.Small);

            writer.Heading("The request");
            writer.Facts(pack.Request);

            writer.Heading("The statutory clock");
            writer.Facts(pack.Clock);

            writer.Heading("The audit trail's integrity");
            writer.Paragraph((pack.Chain.Holds ? "Holds. " : "Broken. ") + pack.Chain.Summary, writer.BodyBold);
            writer.Facts([
                new("Entries checked", pack.Chain.EntryCount.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("Last entry the request records", "Entry " + pack.Chain.HeadSequence.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("Its hash (SHA-256)", pack.Chain.HeadHash),
            ]);

            writer.Heading("What was done in each system");
            if (pack.Sources.Count == 0)
            {
                writer.Paragraph("No system was searched for this request.", writer.Body);
            }

            foreach (var s in pack.Sources)
            {
                writer.Subheading(s.Name);
                writer.Facts([
                    new("Found", s.Found),
                    new("Done", string.Join(" ", s.Done)),
                    new("Problems and retries", s.Problems.Count == 0 ? "None." : string.Join(" ", s.Problems)),
                    new("Recipients", s.RecipientsTold.Count == 0 ? "Its data is not shared with anyone outside the company." : string.Join(" ", s.RecipientsTold)),
                ]);
                if (s.Kept.Count == 0)
                {
                    writer.Paragraph("Nothing was kept back here.", writer.Body);
                }
                else
                {
                    writer.Table($"Kept back in {s.Name}, and why", [0.3, 0.5, 0.2], ["Records", "Legal basis", "Kept until"], [.. s.Kept.Select(k => new[] { k.Records, k.Basis, k.Until })]);
                }
            }

            writer.Heading($"Recipients told of the change ({pack.RecipientsLaw})");
            foreach (var line in pack.Recipients)
            {
                writer.Paragraph(line, writer.Body);
            }

            writer.Heading("Timeline");
            writer.Table(
                "Every entry of the audit trail, oldest first (times in UTC)",
                [0.06, 0.17, 0.2, 0.57],
                ["No.", "When", "Who", "What happened"],
                [.. pack.Timeline.Select(e => new[] { e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), EvidenceText.ShortTime(e.At), e.Who, e.What })]);

            writer.Footers($"Evidence pack for request {pack.Reference}");
        }

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    /// <summary>Lays text down the page, top to bottom, starting a new page when the next block does not fit.</summary>
    private sealed class Writer : IDisposable
    {
        // Fonts are made per document, after the font resolver is registered (a static field could be made before).
        public readonly XFont Body = new(EvidenceFonts.Family, 9.5, XFontStyleEx.Regular);
        public readonly XFont BodyBold = new(EvidenceFonts.Family, 9.5, XFontStyleEx.Bold);
        public readonly XFont Small = new(EvidenceFonts.Family, 8, XFontStyleEx.Regular);
        private readonly XFont SmallBold = new(EvidenceFonts.Family, 8, XFontStyleEx.Bold);
        private readonly XFont TitleFont = new(EvidenceFonts.Family, 16, XFontStyleEx.Bold);
        private readonly XFont HeadingFont = new(EvidenceFonts.Family, 13, XFontStyleEx.Bold);
        private readonly XFont SubheadingFont = new(EvidenceFonts.Family, 11, XFontStyleEx.Bold);

        private const double Margin = 50;
        private const double LabelWidth = 150;
        private const double Gap = 8;

        private readonly PdfDocument _document;
        private PdfPage _page = null!;
        private XGraphics _graphics = null!;
        private double _y;

        public Writer(PdfDocument document)
        {
            _document = document;
            NewPage();
        }

        private double Width => _page.Width.Point - (2 * Margin);

        private double Bottom => _page.Height.Point - Margin - 20;

        public void Title(string text) => Block(text, TitleFont, 0, Width, after: 6);

        public void Heading(string text)
        {
            _y += 10;
            // A heading never ends a page: keep room for it and a few lines after it.
            Fit(LineHeight(HeadingFont) + (4 * LineHeight(Body)));
            Block(text, HeadingFont, 0, Width, after: 4);
        }

        public void Subheading(string text)
        {
            _y += 4;
            Fit(LineHeight(SubheadingFont) + (3 * LineHeight(Body)));
            Block(text, SubheadingFont, 0, Width, after: 2);
        }

        public void Paragraph(string text, XFont font) => Block(text, font, 0, Width, after: 4);

        /// <summary>Labels in a column of their own, values wrapped beside them.</summary>
        public void Facts(IReadOnlyList<EvidenceFact> facts)
        {
            foreach (var fact in facts)
            {
                var label = Wrap(fact.Label, BodyBold, LabelWidth - Gap);
                var value = Wrap(fact.Value, Body, Width - LabelWidth);
                Row([(label, BodyBold, 0), (value, Body, LabelWidth)], after: 3);
            }
        }

        /// <summary>A table as aligned columns (widths as fractions of the line), its header repeated on every page it runs onto.</summary>
        public void Table(string caption, double[] widths, string[] headers, IReadOnlyList<string[]> rows)
        {
            Fit(LineHeight(BodyBold) + (3 * LineHeight(Small)));
            Block(caption, BodyBold, 0, Width, after: 2);
            var lefts = new double[widths.Length];
            for (var i = 1; i < widths.Length; i++)
            {
                lefts[i] = lefts[i - 1] + (widths[i - 1] * Width);
            }

            void Header()
            {
                Row([.. headers.Select((h, i) => (Wrap(h, SmallBold, (widths[i] * Width) - Gap), SmallBold, lefts[i]))], after: 1);
                _graphics.DrawLine(XPens.Black, Margin, _y, Margin + Width, _y);
                _y += 3;
            }

            Header();
            foreach (var row in rows)
            {
                var cells = row.Select((text, i) => (Wrap(text, Small, (widths[i] * Width) - Gap), Small, lefts[i])).ToList();
                if (_y + Height(cells) > Bottom)
                {
                    NewPage();
                    Header();
                }

                Row(cells, after: 2);
                _graphics.DrawLine(XPens.LightGray, Margin, _y - 1, Margin + Width, _y - 1);
                _y += 1;
            }

            _y += 6;
        }

        /// <summary>"Evidence pack for request DR-…, page n of m" at the foot of every page, once the number of pages is known.</summary>
        public void Footers(string text)
        {
            _graphics.Dispose();
            var count = _document.PageCount;
            for (var i = 0; i < count; i++)
            {
                var page = _document.Pages[i];
                using var graphics = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
                var line = $"{text}, page {(i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)} of {count.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
                graphics.DrawString(line, Small, XBrushes.DimGray, new XPoint(Margin, page.Height.Point - Margin + 4), XStringFormats.TopLeft);
            }

            _graphics = null!;
        }

        public void Dispose() => _graphics?.Dispose();

        private void Block(string text, XFont font, double left, double width, double after) =>
            Row([(Wrap(text, font, width), font, left)], after);

        /// <summary>Cells side by side; a row taller than what is left of the page starts a new page (a row taller than a page is split).</summary>
        private void Row(IReadOnlyList<(List<string> Lines, XFont Font, double Left)> cells, double after)
        {
            if (_y + Height(cells) > Bottom && _y > Margin)
            {
                NewPage();
            }

            var lineIndex = 0;
            var most = cells.Max(c => c.Lines.Count);
            while (lineIndex < most)
            {
                var step = cells.Max(c => LineHeight(c.Font));
                if (_y + step > Bottom)
                {
                    NewPage();
                }

                foreach (var (lines, font, left) in cells)
                {
                    if (lineIndex < lines.Count)
                    {
                        _graphics.DrawString(lines[lineIndex], font, XBrushes.Black, new XPoint(Margin + left, _y), XStringFormats.TopLeft);
                    }
                }

                _y += step;
                lineIndex++;
            }

            _y += after;
        }

        private static double Height(IReadOnlyList<(List<string> Lines, XFont Font, double Left)> cells) =>
            cells.Max(c => c.Lines.Count * LineHeight(c.Font));

        private void Fit(double height)
        {
            if (_y + height > Bottom)
            {
                NewPage();
            }
        }

        private static double LineHeight(XFont font) => font.Size * 1.3;

        /// <summary>Words wrapped to <paramref name="width"/>; a word wider than the line (a hash) is cut where it must be.</summary>
        private List<string> Wrap(string text, XFont font, double width)
        {
            var lines = new List<string>();
            foreach (var paragraph in text.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n'))
            {
                var line = string.Empty;
                foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var candidate = line.Length == 0 ? word : line + " " + word;
                    if (Measure(candidate, font) <= width)
                    {
                        line = candidate;
                        continue;
                    }

                    if (line.Length > 0)
                    {
                        lines.Add(line);
                    }

                    line = word;
                    while (Measure(line, font) > width && line.Length > 1)
                    {
                        var cut = line.Length - 1;
                        while (cut > 1 && Measure(line[..cut], font) > width)
                        {
                            cut--;
                        }

                        lines.Add(line[..cut]);
                        line = line[cut..];
                    }
                }

                lines.Add(line);
            }

            return lines;
        }

        private double Measure(string text, XFont font) => _graphics.MeasureString(text, font).Width;

        private void NewPage()
        {
            _graphics?.Dispose();
            _page = _document.AddPage();
            _page.Size = PageSize.A4;
            _graphics = XGraphics.FromPdfPage(_page);
            _y = Margin;
        }
    }
}
