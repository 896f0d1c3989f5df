using System.Text.Json;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;

namespace DataRights.Host.StaffConsole.Admin;

/// <summary>
/// What the open requests tell of each source: when it last answered a search, and in how many open requests its search
/// or its carrying out failed. Nothing records this per source, so it is read where it is kept: each open request's
/// progress (at most <see cref="MaxScanned"/> of them) and the audit trails ("a system answered the search", with its time)
/// of the <see cref="TrailsRead"/> most recently received of them that a source has answered. Requests that have closed are
/// not counted.
/// </summary>
internal sealed record SourceActivity(IReadOnlyDictionary<string, DateTimeOffset> LastAnswered, IReadOnlyDictionary<string, int> Problems, int Scanned, bool ScannedOut)
{
    public const int MaxScanned = 500;
    public const int TrailsRead = 25;

    private const string Answered = "source.discovered";

    public static async Task<SourceActivity> ReadAsync(IRequestStore store, CancellationToken cancellationToken)
    {
        var open = new List<DataSubjectRequest>();
        OpenRequestCursor? cursor = null;
        var more = true;
        while (more && open.Count < MaxScanned)
        {
            var page = await store.ListOpenPageAsync(Math.Min(200, MaxScanned - open.Count), cursor, cancellationToken);
            open.AddRange(page.Items);
            cursor = page.Next;
            more = page.Next is not null && page.Items.Count > 0;
        }

        var problems = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in open.SelectMany(r => r.Progress.Sources))
        {
            if (s.Discovery == StepState.Failed || s.Execution == StepState.Failed || s.DiscoveryError is not null || s.ExecutionError is not null)
            {
                problems[s.Key] = problems.GetValueOrDefault(s.Key) + 1;
            }
        }

        var last = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var answered = open.Where(r => r.Progress.Sources.Any(s => s.Discovery == StepState.Succeeded)).OrderByDescending(r => r.ReceivedAt).Take(TrailsRead);
        foreach (var r in answered)
        {
            foreach (var entry in await store.GetAuditTrailAsync(r.Id, cancellationToken))
            {
                if (entry.Action == Answered && SourceOf(entry.Details) is { } key && (!last.TryGetValue(key, out var seen) || entry.At > seen))
                {
                    last[key] = entry.At;
                }
            }
        }

        return new SourceActivity(last, problems, open.Count, more);
    }

    private static string? SourceOf(string details)
    {
        using var json = JsonDocument.Parse(details);
        return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("source", out var source) && source.ValueKind == JsonValueKind.String
            ? source.GetString()
            : null;
    }
}
