using System.Globalization;
using System.Text;
using DataRights.Core.Retention;

namespace DataRights.Host.Retention;

/// <summary>
/// A purge report as CSV (RFC 4180: comma-separated, CRLF lines, fields with commas, quotes or line
/// breaks quoted, quotes doubled). Text that a spreadsheet would read as a formula (starting with =, +,
/// -, @, tab or carriage return) is prefixed with an apostrophe, so opening the file runs nothing.
/// </summary>
public static class PurgeCsv
{
    public static readonly IReadOnlyList<string> Header =
        ["run", "region", "dry_run", "source", "category", "kind", "state", "request", "cutoff", "scanned", "purged", "held", "retained", "errors", "duration_ms", "note"];

    /// <summary>A dry run's report says what would be purged, not what was.</summary>
    public static readonly IReadOnlyList<string> DryRunHeader = [.. Header.Select(h => h == "purged" ? "would_purge" : h)];

    public static string Write(PurgeRun run, IReadOnlyList<PurgeRow> rows)
    {
        var csv = new StringBuilder();
        Line(csv, run.DryRun ? DryRunHeader : Header);
        foreach (var r in rows)
        {
            Line(csv,
            [
                run.Id, run.Region, run.DryRun ? "true" : "false", r.SourceKey, r.Category, r.Kind, r.State, r.RequestId ?? string.Empty,
                r.Cutoff?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty,
                Number(r.Scanned), Number(r.Purged), Number(r.Held), Number(r.Retained), Number(r.Errors), Number(r.DurationMs), r.Note ?? string.Empty,
            ]);
        }

        return csv.ToString();
    }

    /// <summary>One field, safe for spreadsheets and quoted when needed.</summary>
    public static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static void Line(StringBuilder csv, IEnumerable<string> fields) => csv.Append(string.Join(',', fields.Select(Field))).Append("\r\n");

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
