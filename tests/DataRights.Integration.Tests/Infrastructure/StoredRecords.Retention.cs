using System.Text.Json;
using DataRights.Core.Audit;

namespace DataRights.Integration.Tests.Infrastructure;

/// <summary>Reads for the retention and source tests: values of an audit entry's details.</summary>
public static class StoredRecordsRetention
{
    /// <summary>
    /// The <paramref name="name"/> value of the details of the only <c>source.executed</c> entry for
    /// <paramref name="sourceKey"/> (fails the test when there is not exactly one).
    /// </summary>
    public static async Task<string?> ExecutedDetailAsync(this StoredRecords stored, string sourceKey, string name)
    {
        var executed = await stored.AuditAsync("source.executed");
        return DetailText(Assert.Single(executed, e => DetailText(e, "source") == sourceKey), name);
    }

    /// <summary>A top-level value of an entry's JSON details as text (null when absent).</summary>
    public static string? DetailText(AuditEntry entry, string name)
    {
        using var details = JsonDocument.Parse(entry.Details.Length == 0 ? "{}" : entry.Details);
        return details.RootElement.ValueKind == JsonValueKind.Object && details.RootElement.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;
    }
}
