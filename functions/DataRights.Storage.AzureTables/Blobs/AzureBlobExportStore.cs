using System.Buffers;
using System.Globalization;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using DataRights.Core.Ports;

namespace DataRights.Storage.AzureTables.Blobs;

/// <summary>
/// Exports in Azure Blob storage, one private container, blobs named <c>&lt;requestId&gt;/&lt;name&gt;</c>, so
/// every instance can serve a download and nothing is lost on scale-in. Through Azure.Storage.Blobs. An upload
/// is staged in blocks of <see cref="AzureBlobConnection.BlockSize"/> as it is written (one block in memory at
/// a time, <see cref="BlockBlobClient.StageBlockAsync(string, Stream, byte[], BlobRequestConditions, IProgress{long}, CancellationToken)"/>)
/// and committed with the block list, which makes the blob appear whole at once; an abandoned upload's staged
/// blocks are never committed, and the service drops them after a week. Downloads stream.
/// </summary>
public sealed class AzureBlobExportStore : IExportStore
{
    public AzureBlobExportStore(AzureBlobConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Connection = connection;
        Container = connection.CreateContainerClient();
    }

    public AzureBlobConnection Connection { get; }

    internal BlobContainerClient Container { get; }

    /// <summary>Creates the container, private (idempotent: one that exists is fine).</summary>
    public Task InitializeAsync(CancellationToken cancellationToken) =>
        CallAsync("create container " + Container.Name, () => Container.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken));

    public Task<IExportUpload> CreateAsync(string requestId, string name, CancellationToken cancellationToken) =>
        Task.FromResult<IExportUpload>(new Upload(Container.GetBlockBlobClient(BlobName(requestId, name)), Connection.BlockSize));

    public async Task<Stream?> OpenReadAsync(string requestId, string name, CancellationToken cancellationToken)
    {
        var blob = Container.GetBlobClient(BlobName(requestId, name));
        try
        {
            // Streamed from the network as it is read; the SDK resumes a broken read where it stopped.
            var download = await blob.DownloadStreamingAsync(cancellationToken: cancellationToken);
            return download.Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        catch (RequestFailedException ex)
        {
            throw Failed("read " + blob.Name, ex);
        }
    }

    public async Task<bool> ExistsAsync(string requestId, string name, CancellationToken cancellationToken)
    {
        var blob = Container.GetBlobClient(BlobName(requestId, name));
        return (await CallAsync("look up " + blob.Name, () => blob.ExistsAsync(cancellationToken))).Value;
    }

    public async Task DeleteAsync(string requestId, string name, CancellationToken cancellationToken)
    {
        var blob = Container.GetBlobClient(BlobName(requestId, name));
        await CallAsync("delete " + blob.Name, () => blob.DeleteIfExistsAsync(cancellationToken: cancellationToken));
    }

    public async Task<int> DeleteAllAsync(string requestId, CancellationToken cancellationToken)
    {
        ExportObjectNames.EnsureValid(requestId);

        // Every page first, then the deletes: a continuation token never has to survive the blobs it points past.
        var names = new List<string>();
        try
        {
            var pages = Container.GetBlobsAsync(new GetBlobsOptions { Prefix = requestId + "/" }, cancellationToken).AsPages(pageSizeHint: Connection.ListPageSize);
            await foreach (var page in pages)
            {
                names.AddRange(page.Values.Select(b => b.Name));
            }
        }
        catch (RequestFailedException ex)
        {
            throw Failed("list the blobs of " + Container.Name, ex);
        }

        var deleted = 0;
        foreach (var name in names)
        {
            var blob = Container.GetBlobClient(name);
            if ((await CallAsync("delete " + name, () => blob.DeleteIfExistsAsync(cancellationToken: cancellationToken))).Value)
            {
                deleted++;
            }
        }

        return deleted;
    }

    /// <summary>What the SDK refused or could not reach, as the store's <see cref="BlobStorageException"/> (an <see cref="IOException"/>).</summary>
    internal static BlobStorageException Failed(string operation, RequestFailedException ex) =>
        ex.Status == 0
            ? new BlobStorageException($"Blob storage could not be reached to {operation}: {ex.Message}", ex)
            : new BlobStorageException(operation, ex.Status, ex.ErrorCode, null);

    private static async Task<T> CallAsync<T>(string operation, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RequestFailedException ex)
        {
            throw Failed(operation, ex);
        }
    }

    private static string BlobName(string requestId, string name)
    {
        ExportObjectNames.EnsureValid(requestId, name);
        return requestId + "/" + name;
    }

    private sealed class Upload(BlockBlobClient blob, int blockSize) : IExportUpload
    {
        private readonly BlockStream _stream = new(blob, blockSize);

        public Stream Stream => _stream;

        public Task<long> CommitAsync(CancellationToken cancellationToken) => _stream.CommitAsync(cancellationToken);

        public ValueTask DisposeAsync() => _stream.DisposeAsync();
    }

    /// <summary>Buffers one block; each full block is staged before more is taken in.</summary>
    private sealed class BlockStream(BlockBlobClient blob, int blockSize) : Stream
    {
        // Block ids must have one length per blob; a random prefix keeps two uploads of one name apart.
        private readonly string _upload = Guid.NewGuid().ToString("N");
        private readonly List<string> _blocks = [];
        private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(blockSize);
        private int _filled;
        private long _length;
        private bool _committed;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => _buffer is not null && !_committed;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            while (!buffer.IsEmpty)
            {
                if (_filled == blockSize)
                {
                    // Synchronous writers stage synchronously (async: false completes the ValueTask at once).
                    StageAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();
                }

                buffer = buffer[Take(buffer)..];
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (!buffer.IsEmpty)
            {
                if (_filled == blockSize)
                {
                    await StageAsync(async: true, cancellationToken);
                }

                buffer = buffer[Take(buffer.Span)..];
            }
        }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public async Task<long> CommitAsync(CancellationToken cancellationToken)
        {
            ObjectDisposedException.ThrowIf(_buffer is null || _committed, this);
            if (_filled > 0)
            {
                await StageAsync(async: true, cancellationToken);
            }

            try
            {
                await blob.CommitBlockListAsync(_blocks, cancellationToken: cancellationToken);
            }
            catch (RequestFailedException ex)
            {
                throw Failed("commit " + blob.Name, ex);
            }

            _committed = true;
            return _length;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && _buffer is { } buffer)
            {
                _buffer = null;
                ArrayPool<byte>.Shared.Return(buffer);
            }

            base.Dispose(disposing);
        }

        private int Take(ReadOnlySpan<byte> source)
        {
            var buffer = _buffer;
            ObjectDisposedException.ThrowIf(buffer is null || _committed, this);
            var n = Math.Min(source.Length, blockSize - _filled);
            source[..n].CopyTo(buffer.AsSpan(_filled));
            _filled += n;
            _length += n;
            return n;
        }

        private async ValueTask StageAsync(bool async, CancellationToken cancellationToken)
        {
            if (_blocks.Count == AzureBlobConnection.MaxBlocks)
            {
                throw new BlobStorageException($"{blob.Name} would need more than {AzureBlobConnection.MaxBlocks:N0} blocks; raise the block size.");
            }

            var id = Convert.ToBase64String(Encoding.ASCII.GetBytes(_upload + "-" + _blocks.Count.ToString("D6", CultureInfo.InvariantCulture)));
            using var content = new MemoryStream(_buffer!, 0, _filled, writable: false);
            try
            {
                if (async)
                {
                    await blob.StageBlockAsync(id, content, cancellationToken: cancellationToken);
                }
                else
                {
                    blob.StageBlock(id, content, cancellationToken: cancellationToken);
                }
            }
            catch (RequestFailedException ex)
            {
                throw Failed("stage a block of " + blob.Name, ex);
            }

            _blocks.Add(id);
            _filled = 0;
        }
    }
}
