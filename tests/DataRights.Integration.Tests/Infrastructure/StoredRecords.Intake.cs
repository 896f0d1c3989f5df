using Azure.Storage.Blobs;
using DataRights.Host.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DataRights.Integration.Tests.Infrastructure;

/// <summary>
/// Reads (and, where a test simulates a redelivery, changes) the raw rows and blobs behind intake, exports and
/// mail: every audit row, the export container.
/// </summary>
public static class IntakeStoredRecords
{
    /// <summary>Every audit row in the Requests table, of every chain there.</summary>
    public static async Task<int> AuditRowCountAsync(this StoredRecords stored) =>
        (await stored.RowsAsync("Requests", "RowKey ge 'audit_' and RowKey lt 'audit`'")).Count;

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
