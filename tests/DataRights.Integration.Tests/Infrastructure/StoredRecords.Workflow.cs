using System.Text.Json;
using Azure.Data.Tables;
using DataRights.Core.Audit;

namespace DataRights.Integration.Tests.Infrastructure;

/// <summary>
/// Row changes that simulate what the workflow must survive, made with the SDK on the program's tables as
/// an operator (or a crash) could: audit entries changed or removed.
/// </summary>
public static class StoredRecordsWorkflow
{
    /// <summary>Changes every audit entry of one request in place (the hashes stay as they were), returning how many.</summary>
    public static async Task<int> TamperAuditAsync(this StoredRecords stored, string requestId, Action<TableEntity> change)
    {
        var requests = stored.Table("Requests");
        var rows = await AuditRowsAsync(requests, requestId);
        foreach (var row in rows)
        {
            change(row);
            await requests.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);
        }

        return rows.Count;
    }

    /// <summary>Deletes every audit entry of one request (the request row stays), returning how many.</summary>
    public static async Task<int> DeleteAuditAsync(this StoredRecords stored, string requestId)
    {
        var requests = stored.Table("Requests");
        var rows = await AuditRowsAsync(requests, requestId);
        foreach (var row in rows)
        {
            await requests.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag);
        }

        return rows.Count;
    }

    /// <summary>One value of an audit entry's details (a JSON object), as text; null when absent.</summary>
    public static string? Detail(this AuditEntry entry, string name)
    {
        using var details = JsonDocument.Parse(entry.Details);
        if (!details.RootElement.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
    }

    /// <summary>The audit rows of one request's partition (request ids are made of key-safe characters, so the id is the key).</summary>
    private static async Task<List<TableEntity>> AuditRowsAsync(TableClient requests, string requestId)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in requests.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {requestId} and RowKey ge 'audit_' and RowKey lt 'audit`'")))
        {
            rows.Add(row);
        }

        return rows;
    }
}
