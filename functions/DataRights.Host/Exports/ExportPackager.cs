using System.IO.Compression;
using System.Text;
using System.Text.Json;
using DataRights.Core.Requests;
using DataRights.Core.Retention;
using DataRights.Core.Sources.Registry;
using DataRights.Core.Text;
using DataRights.Core.Workflow;
using DataRights.Host.Hosting;
using DataRights.Host.Pages;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Exports;

/// <summary>
/// Assembles a person's export from the sealed copies each source made: one ZIP, sealed at rest,
/// written as a stream (a part is read once per file made from it; nothing is held whole). Inside:
/// <c>index.html</c> (what Article 15 says the person must be told, linking to each file), a folder per source
/// named after it with <c>records.json</c> and a CSV per category,
/// and <c>portable/</c> with the data the person provided, as JSON (Article 20).
/// </summary>
public sealed class ExportPackager(ExportFiles files, ISourceRegistrationStore registrations, IOptions<DataRightsOptions> options, TimeProvider time)
{
    public sealed record Package(long Bytes, int Records, int Files, IReadOnlyDictionary<string, int> RecordsBySource);

    /// <summary>The sources that made their copy (not a manual source, whose owner sends theirs by hand) whose copy is gone.</summary>
    public async Task<IReadOnlyList<string>> MissingCopiesAsync(DataSubjectRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var registered = (await registrations.ListAsync(cancellationToken)).ToDictionary(r => r.Registration.Key, r => r.Registration, StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var source in request.Progress.Sources.Where(s => s.Execution == StepState.Succeeded))
        {
            if (registered.GetValueOrDefault(source.Key) is not { ConnectorType: "manual" } && !await files.PartExistsAsync(request.Id, source.Key, cancellationToken))
            {
                missing.Add(source.Key);
            }
        }

        return missing;
    }

    public async Task<Package> BuildAsync(DataSubjectRequest request, CancellationToken cancellationToken)
    {
        var registered = (await registrations.ListAsync(cancellationToken)).ToDictionary(r => r.Registration.Key, r => r.Registration, StringComparer.Ordinal);
        var sources = new List<SourceProgress>();
        foreach (var source in request.Progress.Sources.Where(s => s.Execution == StepState.Succeeded))
        {
            if (await files.PartExistsAsync(request.Id, source.Key, cancellationToken))
            {
                sources.Add(source);
            }
            else if (registered.GetValueOrDefault(source.Key) is not { ConnectorType: "manual" })
            {
                // A source that made its copy has a part (a manual source's owner sends theirs by hand): one missing (deleted
                // by a run that had built a package, or by hand) must not make a package that leaves it out unsaid.
                throw new InvalidOperationException($"The copy made at source {source.Key} is missing; the package is not built without it.");
            }
        }

        int records = 0, count = 0;
        var bySource = new Dictionary<string, int>(StringComparer.Ordinal);
        var tables = new List<(SourceProgress Source, TableSummary Table)>();
        var portableOnly = request.Type == RequestType.Portability;

        // Every name in the package is one the person reads: each source's folder is named after the source.
        var names = new ExportFileNames(IndexFile, PortableFolder);
        var folders = sources.ToDictionary(s => s.Key, s => names.Take(string.Empty, s.DisplayName, string.Empty, "Records"), StringComparer.Ordinal);
        var portable = new Dictionary<string, string>(StringComparer.Ordinal);

        // Visible under its name only once committed: a failed build leaves no half package behind.
        await using var package = await files.CreatePackageAsync(request.Id, cancellationToken);
        await using (var zip = new ZipArchive(package.Stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var source in sources)
            {
                var registration = registered.GetValueOrDefault(source.Key);
                var folder = folders[source.Key];
                var portableName = $"{PortableFolder}/{folder}.json";
                var summaries = await WriteJsonAsync(zip, request.Id, source, registration, portableOnly ? portableName : $"{folder}/{RecordsFile}", providedOnly: portableOnly, cancellationToken);
                count++;
                records += summaries.Sum(t => t.Rows);
                bySource[source.Key] = summaries.Sum(t => t.Rows);
                if (portableOnly)
                {
                    portable[source.Key] = portableName;
                }
                else
                {
                    var csv = await WriteCsvAsync(zip, request.Id, source.Key, registration, folder, names, cancellationToken);
                    count += csv.Count;

                    // The CSV files follow the part's tables in order, as records.json does.
                    summaries = [.. summaries.Zip(csv, (table, file) => table with { File = file })];
                    if (summaries.Any(t => t.Provided))
                    {
                        await WriteJsonAsync(zip, request.Id, source, registration, portableName, providedOnly: true, cancellationToken);
                        portable[source.Key] = portableName;
                        count++;
                    }
                }

                tables.AddRange(summaries.Select(t => (source, t)));
            }

            var index = zip.CreateEntry(IndexFile, CompressionLevel.Optimal);
            await using (var writer = new StreamWriter(await index.OpenAsync(cancellationToken), new UTF8Encoding(false)))
            {
                await writer.WriteAsync(Summary(request, tables, registered, portableOnly ? new Dictionary<string, string>() : folders, portable).Value);
            }

            count++;
        }

        var bytes = await package.CommitAsync(cancellationToken);
        return new Package(bytes, records, count, bySource);
    }

    private const string IndexFile = "index.html";
    private const string RecordsFile = "records.json";
    private const string PortableFolder = "portable";

    private sealed record TableSummary(string Table, string Category, bool Provided, int Rows, string? File = null);

    private async Task<List<TableSummary>> WriteJsonAsync(
        ZipArchive zip, string requestId, SourceProgress source, SourceRegistration? registration, string name, bool providedOnly, CancellationToken cancellationToken)
    {
        var summaries = new List<TableSummary>();
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        await using var stream = await entry.OpenAsync(cancellationToken);
        // A file for the person (and for another provider), never embedded in a page: characters as they are (a name's
        // accents, a phone number's "+"), escaped only where JSON requires it.
        await using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("source", source.Key);
        json.WriteString("name", source.DisplayName);
        json.WriteStartArray("tables");
        var open = false;
        var skipping = false;
        await foreach (var line in ReadAsync(requestId, source.Key, cancellationToken))
        {
            if (line.Header is { } header)
            {
                if (open)
                {
                    json.WriteEndArray();
                    json.WriteEndObject();
                    open = false;
                }

                skipping = providedOnly && !header.Provided;
                if (!skipping)
                {
                    json.WriteStartObject();
                    json.WriteString("table", header.Table);
                    json.WriteString("category", header.Category);
                    json.WriteString("categoryName", CategoryNames.Of(registration, header.Category));
                    json.WriteStartArray("columns");
                    header.Columns.ForEach(json.WriteStringValue);
                    json.WriteEndArray();
                    json.WriteStartArray("rows");
                    open = true;
                    summaries.Add(new TableSummary(header.Table, header.Category, header.Provided, 0));
                }
            }
            else if (!skipping && open)
            {
                // Rows keep their column names, so each record reads on its own.
                var columns = line.Columns!;
                json.WriteStartObject();
                var i = 0;
                foreach (var value in line.Row!.Value.EnumerateArray())
                {
                    json.WritePropertyName(columns[i++]);
                    value.WriteTo(json);
                }

                json.WriteEndObject();
                summaries[^1] = summaries[^1] with { Rows = summaries[^1].Rows + 1 };
                if (summaries[^1].Rows % 1000 == 0)
                {
                    await json.FlushAsync(cancellationToken);
                }
            }
        }

        if (open)
        {
            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
        return summaries;
    }

    private async Task<List<string>> WriteCsvAsync(
        ZipArchive zip, string requestId, string sourceKey, SourceRegistration? registration, string folder, ExportFileNames names, CancellationToken cancellationToken)
    {
        var written = new List<string>();
        StreamWriter? writer = null;
        try
        {
            await foreach (var line in ReadAsync(requestId, sourceKey, cancellationToken))
            {
                if (line.Header is { } header)
                {
                    if (writer is not null)
                    {
                        await writer.DisposeAsync();
                    }

                    // Named after the category, as the person knows it; a second table of the same category gets "-2".
                    var name = names.Take(folder + "/", CategoryNames.Of(registration, header.Category), ".csv", "Records");
                    writer = new StreamWriter(await zip.CreateEntry(name, CompressionLevel.Optimal).OpenAsync(cancellationToken), new UTF8Encoding(true)) { NewLine = "\r\n" };
                    await writer.WriteLineAsync(string.Join(',', header.Columns.Select(Csv.Cell)));
                    written.Add(name);
                }
                else if (writer is not null)
                {
                    await writer.WriteLineAsync(string.Join(',', line.Row!.Value.EnumerateArray().Select(v => Csv.Cell(v.ValueKind switch
                    {
                        JsonValueKind.Null => null,
                        JsonValueKind.String => v.GetString(),
                        _ => v.GetRawText(),
                    }))));
                }
            }
        }
        finally
        {
            if (writer is not null)
            {
                await writer.DisposeAsync();
            }
        }

        return written;
    }

    private sealed record Header(string Table, string Category, bool Provided, List<string> Columns);

    private sealed record Line(Header? Header, JsonElement? Row, List<string>? Columns);

    private async IAsyncEnumerable<Line> ReadAsync(string requestId, string sourceKey, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var part = await files.OpenPartAsync(requestId, sourceKey, cancellationToken)
            ?? throw new InvalidOperationException($"The export part of source {sourceKey} is gone (request {requestId}).");
        using var reader = new StreamReader(part, Encoding.UTF8);
        List<string>? columns = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } text)
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.TryGetProperty("row", out var row))
            {
                yield return new Line(null, row.Clone(), columns);
                continue;
            }

            columns = [.. root.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!)];
            yield return new Line(new Header(root.GetProperty("table").GetString()!, root.GetProperty("category").GetString()!, root.GetProperty("provided").GetBoolean(), columns), null, columns);
        }
    }

    private HtmlString Summary(
        DataSubjectRequest r,
        List<(SourceProgress Source, TableSummary Table)> tables,
        Dictionary<string, SourceRegistration> registered,
        IReadOnlyDictionary<string, string> folders,
        IReadOnlyDictionary<string, string> portable)
    {
        var o = options.Value;
        var sections = r.Progress.Sources.Where(s => s.Findings?.RecordCount > 0 || tables.Any(t => t.Source.Key == s.Key)).Select(s =>
        {
            var reg = registered.GetValueOrDefault(s.Key);
            var mine = tables.Where(t => t.Source.Key == s.Key).Select(t => t.Table).ToList();
            var copy = portable.GetValueOrDefault(s.Key);
            var rows = Html.Join(mine.Select(t => Html.Of($"<li>{Link(t.File, CategoryNames.Of(reg, t.Category))}: {Plural.Count(t.Rows, "record")}{Html.When(t.Provided && copy is not null, Html.Of($", provided by you (also in {FileLink(copy)})"))}</li>")));
            var all = folders.TryGetValue(s.Key, out var folder) ? $"{folder}/{RecordsFile}" : null;
            var retention = Html.Join((reg?.Categories ?? []).Select(c => Html.Of($"<li>{CategoryNames.Of(c)}: {Retention(c, r.Jurisdiction)}</li>")));
            return Html.Of($"""
                <section>
                <h2>{s.DisplayName}</h2>
                <ul>{rows}</ul>
                {Html.When(all is not null, Html.Of($"<p>All of it in one file: {FileLink(all)}</p>"))}
                {Html.When(all is null && copy is not null, Html.Of($"<p>In this download: {FileLink(copy)}</p>"))}
                {Html.When(s.Outcome?.Note is not null, Html.Of($"<p>{s.Outcome?.Note}</p>"))}
                <dl>
                <dt>Why we use it</dt><dd>{Join(reg?.Purposes, "To provide and bill the services you signed up for.")}</dd>
                <dt>Who we share it with</dt><dd>{Join(reg?.Recipients, "Nobody outside our company.")}</dd>
                <dt>Where it came from</dt><dd>{reg?.Origin ?? "From you."}</dd>
                <dt>Automated decisions</dt><dd>{reg?.AutomatedDecisions ?? "None: no decision about you is made by automated means alone using this data."}</dd>
                </dl>
                <h3>How long we keep it</h3>
                <ul>{retention}</ul>
                </section>
                """);
        });
        return Html.Of($"""
            <!DOCTYPE html>
            <html lang="en-GB">
            <head><meta charset="utf-8"><title>Your data: {r.Reference}</title>
            {Style}</head>
            <body>
            <h1>A copy of your personal data</h1>
            <p>This is {o.OperatorName}'s answer to your request {r.Reference}, made on {RequestTexts.LongDate(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime))}.
            {(folders.Count > 0
                ? Html.Of($"Each system we searched has a folder in this download, named after it: <code>{RecordsFile}</code> holds everything, and each kind of data is also a CSV file you can open in a spreadsheet. The folder <code>{PortableFolder}</code> holds the data you gave us, in a form you can take to another provider.")
                : Html.Of($"The folder <code>{PortableFolder}</code> holds the data you gave us, a file for each system we searched, in a form you can take to another provider."))}</p>
            {Html.Join(sections)}
            <section>
            <h2>Your rights</h2>
            <p>You can ask us to correct data that is wrong, to erase it, to restrict how we use it, and to stop using it (to object), including for direct marketing at any time.
            Use our form at <a href="{o.LinkBase}/">{o.LinkBase}/</a> or write to {o.PrivacyContactEmail}.</p>
            <p>If you are unhappy with how we handled your data, you have the right to complain to {SupervisoryAuthorities.For(o, r.Jurisdiction)}.</p>
            </section>
            <p>{o.OperatorName}, {o.OperatorAddress}.</p>
            </body>
            </html>
            """);
    }

    private static readonly HtmlString Style = new("<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5}dt{font-weight:bold}</style>");

    // A link to a file in the package; each part of the path escaped, as the names hold spaces.
    private static HtmlString Link(string? file, string text) =>
        file is null ? Html.Of($"{text}") : Html.Of($"<a href=\"{string.Join('/', file.Split('/').Select(Uri.EscapeDataString))}\">{text}</a>");

    private static HtmlString FileLink(string? file) => file is null ? HtmlString.Empty : Link(file, file);

    /// <summary>One purpose or recipient as text; several as a list, each as the operator wrote it.</summary>
    private static HtmlString Join(IReadOnlyList<string>? texts, string otherwise) => texts switch
    {
        [var one] => Html.Of($"{one}"),
        { Count: > 1 } => Html.Of($"<ul>{Html.Join(texts.Select(t => Html.Of($"<li>{t}</li>")))}</ul>"),
        _ => Html.Of($"{otherwise}"),
    };

    private static string Retention(CategoryPolicy c, Jurisdiction jurisdiction) => c.Strategy == "retain" && RetentionPeriod.TryParse(c.RetentionPeriod, out var period)
        ? $"kept for {period.Describe()} because {ErasureExceptions.Cite(c.LegalBasis ?? string.Empty, ErasureExceptions.GroundOf(c), jurisdiction)}"
        : "kept while you are our customer, and erased when you ask us to or when it is no longer needed";
}

/// <summary>CSV cells (RFC 4180), safe to open in a spreadsheet: text that a spreadsheet would run as a formula gets a leading apostrophe.</summary>
public static class Csv
{
    public static string Cell(string? value)
    {
        if (value is null)
        {
            return string.Empty;
        }

        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !IsPlainNumber(value))
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    // Phone numbers and signed numbers (+44 20 7946 0018, -12.5) cannot run anything.
    private static bool IsPlainNumber(string value) => value.Length > 1 && value[1..].All(c => char.IsAsciiDigit(c) || c is ' ' or '.' or '(' or ')') && value.Skip(1).Any(char.IsAsciiDigit);
}
