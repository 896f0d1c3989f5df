using DataRights.Storage.AzureTables;

namespace DataRights.Storage.Tests.Infrastructure;

/// <summary>The work rows a commit wrote in a request's partition, by state (what the store still writes when given rows).</summary>
public static class WorkRowCounts
{
    public static async Task<IReadOnlyDictionary<string, int>> OfAsync(AzureTableStore tables, string requestId)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var rows = await tables.WorkRowsOfAsync(requestId, CancellationToken.None);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal) { ["pending"] = 0, ["leased"] = 0, ["done"] = 0, ["dead"] = 0 };
        foreach (var row in rows)
        {
            var state = row.GetString("State");
            counts[state] = counts.GetValueOrDefault(state) + 1;
        }

        return counts;
    }
}
