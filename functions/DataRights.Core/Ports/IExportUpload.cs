namespace DataRights.Core.Ports;

/// <summary>
/// An object being written: write to <see cref="Stream"/> (write-only, not seekable), then
/// <see cref="CommitAsync"/> to make it visible. Disposing without committing abandons it.
/// </summary>
public interface IExportUpload : IAsyncDisposable
{
    Stream Stream { get; }

    /// <summary>Makes the object visible under its name; returns its size in bytes.</summary>
    Task<long> CommitAsync(CancellationToken cancellationToken);
}
