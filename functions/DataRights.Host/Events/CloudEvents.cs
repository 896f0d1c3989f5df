using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DataRights.Core.Audit;
using DataRights.Core.Events;
using DataRights.Core.Retention;

namespace DataRights.Host.Events;

/// <summary>
/// The CloudEvents 1.0 documents (structured JSON) the pipeline publishes. Only ids, references, statuses, dates and
/// counts go in: never a name, an email address, an account reference or a note.
/// </summary>
public static class CloudEvents
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    /// <summary>A change of a request, as its decision recorded it.</summary>
    public static OutgoingEvent ForRequest(string id, RequestEventData d, string source)
    {
        ArgumentNullException.ThrowIfNull(d);
        var data = new JsonObject
        {
            ["requestId"] = d.RequestId,
            ["reference"] = d.Reference,
            ["requestType"] = d.RequestType,
            ["status"] = d.Status,
            ["previousStatus"] = d.PreviousStatus,
            ["jurisdiction"] = d.Jurisdiction,
            ["dueOn"] = d.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["overdue"] = d.Overdue,
        };
        return Document(id, RequestEventNames.TypeOf(d.Event), source, "requests/" + d.RequestId, d.At, data);
    }

    /// <summary>A finished purge run's report: its totals and one line per source and category (or follow-up).</summary>
    public static OutgoingEvent ForPurge(string id, PurgeRun run, IReadOnlyList<PurgeRow> rows, string source)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(rows);
        var lines = new JsonArray();
        foreach (var r in rows.OrderBy(r => r.SourceKey, StringComparer.Ordinal).ThenBy(r => r.Item, StringComparer.Ordinal))
        {
            lines.Add(new JsonObject
            {
                ["source"] = r.SourceKey,
                ["kind"] = r.Kind,
                ["category"] = r.Category,
                ["state"] = r.State,
                ["requestId"] = r.RequestId,
                ["cutoff"] = r.Cutoff?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["scanned"] = r.Scanned,
                ["purged"] = r.Purged,
                ["held"] = r.Held,
                ["retained"] = r.Retained,
                ["errors"] = r.Errors,
            });
        }

        var data = new JsonObject
        {
            ["runId"] = run.Id,
            ["region"] = run.Region,
            ["dryRun"] = run.DryRun,
            ["status"] = run.Status,
            ["scheduledFor"] = AuditChain.FormatInstant(run.ScheduledFor),
            ["startedAt"] = AuditChain.FormatInstant(run.StartedAt),
            ["finishedAt"] = run.FinishedAt is { } f ? AuditChain.FormatInstant(f) : null,
            ["totals"] = new JsonObject
            {
                ["lines"] = rows.Count,
                ["purged"] = rows.Sum(r => r.Purged),
                ["held"] = rows.Sum(r => r.Held),
                ["retained"] = rows.Sum(r => r.Retained),
                ["errors"] = rows.Sum(r => r.Errors),
                ["busy"] = rows.Count(r => r.State == PurgeRow.Busy),
            },
            ["lines"] = lines,
        };
        return Document(id, RequestEventNames.PurgeFinishedType, source, "purges/" + run.Id, run.FinishedAt ?? run.StartedAt, data);
    }

    private static OutgoingEvent Document(string id, string type, string source, string subject, DateTimeOffset time, JsonObject data)
    {
        var document = new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = id,
            ["source"] = source,
            ["type"] = type,
            ["subject"] = subject,
            ["time"] = AuditChain.FormatInstant(time),
            ["datacontenttype"] = "application/json",
            ["data"] = data,
        };
        return new OutgoingEvent(id, type, source, subject, document.ToJsonString(Compact));
    }
}
