namespace DataRights.Storage.AzureTables;

/// <summary>
/// Something to be stored does not fit Table storage's limits (1 MiB per entity, 4 MiB per transaction,
/// 1 KiB per key). The message names what was too big and by how much; nothing was written.
/// </summary>
public sealed class TableEntityTooLargeException : InvalidOperationException
{
    public TableEntityTooLargeException()
    {
    }

    public TableEntityTooLargeException(string message)
        : base(message)
    {
    }

    public TableEntityTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
