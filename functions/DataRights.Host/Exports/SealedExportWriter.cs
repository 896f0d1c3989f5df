using DataRights.Core.Ports;

namespace DataRights.Host.Exports;

/// <summary>
/// One export object being written sealed: plaintext goes into <see cref="Stream"/>, sealed bytes into the
/// store's upload. <see cref="CommitAsync"/> writes the last chunk and makes the object visible; disposing
/// without a commit (the build failed) abandons it, so nobody ever sees half a part or half a package.
/// </summary>
public sealed class SealedExportWriter : IAsyncDisposable
{
    private readonly IExportUpload _upload;
    private bool _done;

    internal SealedExportWriter(IExportUpload upload, byte[] key, string label)
    {
        _upload = upload;
        Stream = SealedStreams.Create(upload.Stream, key, label, leaveOpen: true);
    }

    /// <summary>Write-only, not seekable; sealed in chunks as it fills.</summary>
    public Stream Stream { get; }

    /// <summary>Seals the last chunk and makes the object visible; returns its sealed size in bytes.</summary>
    public async Task<long> CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        await Stream.DisposeAsync();
        var size = await _upload.CommitAsync(cancellationToken);
        _done = true;
        await _upload.DisposeAsync();
        return size;
    }

    public async ValueTask DisposeAsync()
    {
        if (_done)
        {
            return;
        }

        _done = true;
        SealedStreams.Discard(Stream);
        await _upload.DisposeAsync();
    }
}
