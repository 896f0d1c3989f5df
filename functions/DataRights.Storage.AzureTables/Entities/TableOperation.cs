using Azure;
using Azure.Data.Tables;

namespace DataRights.Storage.AzureTables.Entities;

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

    /// <summary>Creates the entity, or adds and changes the given properties of the one there (others are kept).</summary>
    public static TableOperation UpsertMerge(TableEntity entity) => new(TableOperationKind.UpsertMerge, entity, entity.PartitionKey, entity.RowKey, null);

    public static TableOperation Delete(string partitionKey, string rowKey, string ifMatch) => new(TableOperationKind.Delete, null, partitionKey, rowKey, ifMatch);

    /// <summary>This write as an action of an SDK entity-group transaction.</summary>
    public TableTransactionAction ToAction() => Kind switch
    {
        TableOperationKind.Insert => new TableTransactionAction(TableTransactionActionType.Add, Entity!.ToSdk()),
        TableOperationKind.Replace => new TableTransactionAction(TableTransactionActionType.UpdateReplace, Entity!.ToSdk(), IfMatchTag),
        TableOperationKind.Merge => new TableTransactionAction(TableTransactionActionType.UpdateMerge, Entity!.ToSdk(), IfMatchTag),
        TableOperationKind.Upsert => new TableTransactionAction(TableTransactionActionType.UpsertReplace, Entity!.ToSdk()),
        TableOperationKind.UpsertMerge => new TableTransactionAction(TableTransactionActionType.UpsertMerge, Entity!.ToSdk()),
        _ => new TableTransactionAction(TableTransactionActionType.Delete, new Azure.Data.Tables.TableEntity(PartitionKey, RowKey), IfMatchTag),
    };

    /// <summary>The ETag the write is conditional on (<see cref="ETag.All"/> for "*").</summary>
    public ETag IfMatchTag => IfMatch is null or "*" ? ETag.All : new ETag(IfMatch);
}

internal enum TableOperationKind
{
    Insert,
    Replace,
    Merge,
    Upsert,
    UpsertMerge,
    Delete,
}
