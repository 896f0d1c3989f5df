using Azure.Data.Tables;
using Azure.Storage.Blobs;
using DataRights.Host.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TableEntity = global::Azure.Data.Tables.TableEntity;

namespace DataRights.Integration.Tests.Infrastructure;

/// <summary>
/// Reads (and, where a test simulates a redelivery, changes) the raw rows and blobs behind intake, exports and
/// mail: work rows in the request partitions, every audit row, the export container.
/// </summary>
public static class IntakeStoredRecords
{
    private const string WorkRows = "RowKey ge 'work_' and RowKey lt 'work`'";

    /// <summary>Work rows (the outbox) of one request, or of every request, as stored in the Requests table.</summary>
    public static Task<IReadOnlyList<TableEntity>> WorkRowsAsync(this StoredRecords stored, string? requestId = null) =>
        stored.RowsAsync("Requests", requestId is null ? WorkRows : $"{TableClient.CreateQueryFilter($"PartitionKey eq {requestId}")} and {WorkRows}");

    /// <summary>Every audit row in the Requests table, of every chain there.</summary>
    public static async Task<int> AuditRowCountAsync(this StoredRecords stored) =>
        (await stored.RowsAsync("Requests", "RowKey ge 'audit_' and RowKey lt 'audit`'")).Count;

    /// <summary>Puts finished work items of kind <paramref name="kind"/> back in the queue, as a redelivery would; returns how many.</summary>
    public static Task<int> RedeliverAsync(this StoredRecords stored, string kind) =>
        stored.RedeliverAsync(work => work.GetString("Kind") == kind);

    /// <summary>Every blob in the program's export container, by name, with its stored bytes.</summary>
    public static async Task<IReadOnlyDictionary<string, byte[]>> ExportBlobsAsync(this DataRightsFactory factory)
    {
        var container = factory.Services.GetRequiredService<BlobServiceClient>()
            .GetBlobContainerClient(factory.Services.GetRequiredService<IOptions<StorageOptions>>().Value.ExportContainer);
        var blobs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await foreach (var blob in container.GetBlobsAsync())
        {
            blobs[blob.Name] = (await container.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToArray();
        }

        return blobs;
    }
}
