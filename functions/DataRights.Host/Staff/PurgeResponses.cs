using DataRights.Core.Retention;

namespace DataRights.Host.Staff;

/// <summary>A purge run in a list: when, where, how it ended, and its totals.</summary>
public sealed record PurgeRunSummary(
    string Id, string Region, string Trigger, bool DryRun, DateTimeOffset ScheduledFor, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string Status, PurgeTotals Totals, string Summary)
{
    public static PurgeRunSummary From(PurgeRun run, IReadOnlyList<PurgeRow> rows)
    {
        var totals = PurgeTotals.Of(rows);
        return new(run.Id, run.Region, run.Trigger, run.DryRun, run.ScheduledFor, run.StartedAt, run.FinishedAt, run.Status, totals, totals.Describe(run.DryRun));
    }
}

/// <summary>One purge run's report: per source and category (and follow-up), with the run's entries of the retention audit chain and whether that chain holds.</summary>
public sealed record PurgeReportResponse(
    string Id,
    string Region,
    string Trigger,
    bool DryRun,
    DateTimeOffset ScheduledFor,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string Status,
    PurgeTotals Totals,
    string Summary,
    IReadOnlyList<PurgeRowResponse> Rows,
    PurgeAuditResponse Audit);

public sealed record PurgeTotals(int Lines, long Scanned, long Purged, long Held, long Retained, long Errors, int Busy)
{
    public static PurgeTotals Of(IReadOnlyList<PurgeRow> rows) => new(
        rows.Count, rows.Sum(r => r.Scanned), rows.Sum(r => r.Purged), rows.Sum(r => r.Held), rows.Sum(r => r.Retained), rows.Sum(r => (long)r.Errors), rows.Count(r => r.State == PurgeRow.Busy));

    /// <summary>The totals in a sentence ("Would purge 894 records" for a dry run).</summary>
    public string Describe(bool dryRun) => PurgeSummary.Describe(dryRun, Purged, Held, Retained, Errors);
}

/// <summary>One line of a purge report: the category by key (for machines) and by the name people read.</summary>
public sealed record PurgeRowResponse(
    string Source, string Category, string CategoryName, string Kind, string State, string? RequestId, DateOnly? Cutoff,
    long Scanned, long Purged, long Held, long Retained, int Errors, long DurationMs, string? Note)
{
    public static PurgeRowResponse From(PurgeRow r, string categoryName) =>
        new(r.SourceKey, r.Category, categoryName, r.Kind, r.State, r.RequestId, r.Cutoff, r.Scanned, r.Purged, r.Held, r.Retained, r.Errors, r.DurationMs, r.Note);
}

/// <summary>The run's entries of the retention chain, and the check of the whole chain against its head.</summary>
public sealed record PurgeAuditResponse(bool ChainValid, int ChainEntries, long? FirstBrokenSequence, string? Problem, IReadOnlyList<AuditEntryResponse> Entries);
