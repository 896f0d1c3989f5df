using System.Text.Json;
using DataRights.Core.Audit;
using TableEntity = global::Azure.Data.Tables.TableEntity;

namespace DataRights.Integration.Tests.Infrastructure;

/// <summary>
/// Reads for the retention and source tests: source leases (rows of the Registry table, partition
/// <c>lease</c>), one value of an audit entry's details, and a lease left behind as a killed process leaves it.
/// </summary>
public static class StoredRecordsRetention
{
    private const string LeasePartition = "lease";

    /// <summary>The source leases held now (rows of the Registry table, partition <c>lease</c>).</summary>
    public static Task<IReadOnlyList<TableEntity>> LeasesAsync(this StoredRecords stored) =>
        stored.RowsAsync("Registry", $"PartitionKey eq '{LeasePartition}'");

    /// <summary>
    /// Writes the lease of <paramref name="sourceKey"/> as <paramref name="holder"/> until <paramref name="expiresAt"/>,
    /// as a process killed while purging leaves it (a killed process never releases its lease).
    /// </summary>
    public static async Task LeaveLeaseAsync(this StoredRecords stored, string sourceKey, string holder, DateTimeOffset expiresAt)
    {
        var row = new TableEntity(LeasePartition, sourceKey)
        {
            ["Holder"] = holder,
            ["ExpiresAt"] = AuditChain.FormatInstant(expiresAt),
        };
        await stored.Table("Registry").UpsertEntityAsync(row, global::Azure.Data.Tables.TableUpdateMode.Replace);
    }

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
