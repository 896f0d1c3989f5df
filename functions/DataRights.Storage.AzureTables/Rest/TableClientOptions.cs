using Azure.Core;

namespace DataRights.Storage.AzureTables.Rest;

/// <summary>Azure.Core client options for the Table calls (retries, transport, diagnostics).</summary>
internal sealed class TableClientOptions : ClientOptions
{
}
