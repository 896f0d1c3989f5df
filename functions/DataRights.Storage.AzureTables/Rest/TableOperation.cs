namespace DataRights.Storage.AzureTables.Rest;

/// <summary>One write, alone or inside an entity-group transaction.</summary>
internal sealed record TableOperation(TableOperationKind Kind, TableEntity? Entity, string PartitionKey, string RowKey, string? IfMatch)
{
    /// <summary>Creates the entity; fails with 409 when it exists.</summary>
    public static TableOperation Insert(TableEntity entity) => new(TableOperationKind.Insert, entity, entity.PartitionKey, entity.RowKey, null);

    /// <summary>Replaces the entity whose ETag is <paramref name="ifMatch"/> (412 when it changed, 404 when gone); "*" for any.</summary>
    public static TableOperation Replace(TableEntity entity, string ifMatch) => new(TableOperationKind.Replace, entity, entity.PartitionKey, entity.RowKey, ifMatch);

    /// <summary>Changes only the given properties of the entity whose ETag is <paramref name="ifMatch"/>.</summary>
    public static TableOperation Merge(TableEntity entity, string ifMatch) => new(TableOperationKind.Merge, entity, entity.PartitionKey, entity.RowKey, ifMatch);

    /// <summary>Creates or replaces, whatever is there.</summary>
    public static TableOperation Upsert(TableEntity entity) => new(TableOperationKind.Upsert, entity, entity.PartitionKey, entity.RowKey, null);

    public static TableOperation Delete(string partitionKey, string rowKey, string ifMatch) => new(TableOperationKind.Delete, null, partitionKey, rowKey, ifMatch);

    public string Method => Kind switch
    {
        TableOperationKind.Insert => "POST",
        TableOperationKind.Replace or TableOperationKind.Upsert => "PUT",
        TableOperationKind.Merge => "MERGE",
        _ => "DELETE",
    };

    public bool AddressesEntity => Kind != TableOperationKind.Insert;
}

internal enum TableOperationKind
{
    Insert,
    Replace,
    Merge,
    Upsert,
    Delete,
}
