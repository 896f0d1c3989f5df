using Azure.Core;

namespace DataRights.Storage.AzureTables.Blobs;

/// <summary>Azure.Core client options for the Blob calls (retries, transport, diagnostics).</summary>
internal sealed class BlobClientOptions : ClientOptions
{
}
