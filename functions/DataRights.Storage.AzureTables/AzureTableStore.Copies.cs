using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

public sealed partial class AzureTableStore
{
    /// <summary>A copy of a row as a write left it: its properties, and the ETag the write returned.</summary>
    private static TableEntity CopyOf(TableEntity row, string etag)
    {
        var copy = CopyOf(row);
        copy.ETag = etag;
        return copy;
    }

    /// <summary>A copy of a row (keys, description and properties) to change and write back.</summary>
    internal static TableEntity CopyOf(TableEntity row)
    {
        var copy = new TableEntity(row.PartitionKey, row.RowKey) { Description = row.Description };
        foreach (var (name, value) in row.Properties)
        {
            copy.Properties[name] = value;
        }

        return copy;
    }
}
