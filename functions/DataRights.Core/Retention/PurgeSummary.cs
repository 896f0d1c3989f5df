using DataRights.Core.Text;

namespace DataRights.Core.Retention;

/// <summary>A purge run's totals as one plain sentence: what went, or for a dry run what would go, and what stayed and why.</summary>
public static class PurgeSummary
{
    public static string Describe(bool dryRun, long purged, long held, long retained, long errors)
    {
        var parts = new List<string>
        {
            dryRun ? $"Would purge {Plural.Count(purged, "record")}" : $"Purged {Plural.Count(purged, "record")}",
        };
        if (held > 0)
        {
            parts.Add($"{Plural.Count(held, "record")} {(dryRun ? "would be" : "were")} kept under a legal hold");
        }

        if (retained > 0)
        {
            parts.Add($"{Plural.Count(retained, "record")} {(dryRun ? "would be" : "were")} kept because their retention has not ended");
        }

        if (errors > 0)
        {
            parts.Add($"{Plural.Count(errors, "error")} (see the report's lines)");
        }

        return string.Join("; ", parts) + (dryRun ? ". This was a dry run: nothing was deleted." : ".");
    }
}
