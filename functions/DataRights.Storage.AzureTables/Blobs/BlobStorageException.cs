namespace DataRights.Storage.AzureTables.Blobs;

/// <summary>
/// Blob storage answered an operation with an error the adapter does not expect (after the pipeline's
/// retries), or could not be reached: the HTTP status, the service's error code, and what was being done.
/// An <see cref="IOException"/>, as a failing disk would be for the folder store. Never carries export data.
/// </summary>
public sealed class BlobStorageException : IOException
{
    public BlobStorageException()
    {
    }

    public BlobStorageException(string message)
        : base(message)
    {
    }

    public BlobStorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public BlobStorageException(string operation, int status, string? errorCode, string? serviceMessage)
        : base($"Blob storage refused to {operation}: HTTP {status} {errorCode ?? "(no error code)"}{(string.IsNullOrEmpty(serviceMessage) ? string.Empty : ": " + serviceMessage)}{Hint(status)}")
    {
        Status = status;
        ErrorCode = errorCode;
    }

    public int Status { get; }

    public string? ErrorCode { get; }

    private static string Hint(int status) => status == 403
        ? ". Check DataRights:Storage:AccountKey (the account's key, base64), or that the managed identity has the Storage Blob Data Contributor role on the account."
        : string.Empty;
}
