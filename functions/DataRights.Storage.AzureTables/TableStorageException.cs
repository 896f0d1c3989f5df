namespace DataRights.Storage.AzureTables;

/// <summary>
/// Table storage answered an operation with an error the adapter does not expect (after the pipeline's
/// retries): the HTTP status, the service's error code, and what was being done. Never carries entity data.
/// </summary>
public sealed class TableStorageException : Exception
{
    public TableStorageException()
    {
    }

    public TableStorageException(string message)
        : base(message)
    {
    }

    public TableStorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TableStorageException(string operation, int status, string? errorCode, string? serviceMessage)
        : base($"Table storage refused {operation}: HTTP {status} {errorCode ?? "(no error code)"}{(string.IsNullOrEmpty(serviceMessage) ? string.Empty : ": " + serviceMessage)}")
    {
        Status = status;
        ErrorCode = errorCode;
    }

    public int Status { get; }

    public string? ErrorCode { get; }
}
