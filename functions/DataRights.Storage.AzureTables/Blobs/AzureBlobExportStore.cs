using System.Buffers;
using System.Globalization;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using DataRights.Core.Ports;

namespace DataRights.Storage.AzureTables.Blobs;

/// <summary>
/// Exports in Azure Blob storage, one private container, blobs named <c>&lt;requestId&gt;/&lt;name&gt;</c>, so
/// every instance can serve a download and nothing is lost on scale-in. Over the documented Blob REST API
/// through Azure.Core's pipeline (Azure.Storage.Blobs does not restore here). An upload is staged in
/// blocks of <see cref="AzureBlobConnection.BlockSize"/> as it is written (one block in memory at a
/// time) and committed with Put Block List, which makes the blob appear whole at once; an abandoned
/// upload's staged blocks are never committed, and the service drops them after a week.
/// </summary>
public sealed class AzureBlobExportStore : IExportStore
{
    public AzureBlobExportStore(AzureBlobConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Connection = connection;
        var options = new BlobClientOptions();
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = connection.MaxRetries;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(5);
        options.Retry.NetworkTimeout = connection.NetworkTimeout;
        options.Diagnostics.ApplicationId = "DataRights";
        if (connection.Transport is not null)
        {
            options.Transport = connection.Transport;
        }

        HttpPipelinePolicy authentication = connection.AccountKey is { } key
            ? new BlobSharedKeyPolicy(connection.AccountName, key)
            : new BearerTokenAuthenticationPolicy(connection.Credential!, AzureTableConnection.StorageScope);
        Client = new BlobClient(HttpPipelineBuilder.Build(options, [new BlobHeadersPolicy()], [authentication], new ResponseClassifier()), connection.Endpoint, connection.Container);
    }

    public AzureBlobConnection Connection { get; }

    internal BlobClient Client { get; }

    /// <summary>Creates the container (idempotent: one that exists is fine).</summary>
    public Task InitializeAsync(CancellationToken cancellationToken) => Client.CreateContainerIfNotExistsAsync(cancellationToken);

    public Task<IExportUpload> CreateAsync(string requestId, string name, CancellationToken cancellationToken) =>
        Task.FromResult<IExportUpload>(new Upload(Client, BlobName(requestId, name), Connection.BlockSize));

    public Task<Stream?> OpenReadAsync(string requestId, string name, CancellationToken cancellationToken) =>
        Client.GetAsync(BlobName(requestId, name), cancellationToken);

    public Task<bool> ExistsAsync(string requestId, string name, CancellationToken cancellationToken) =>
        Client.ExistsAsync(BlobName(requestId, name), cancellationToken);

    public Task DeleteAsync(string requestId, string name, CancellationToken cancellationToken) =>
        Client.DeleteAsync(BlobName(requestId, name), cancellationToken);

    public async Task<int> DeleteAllAsync(string requestId, CancellationToken cancellationToken)
    {
        ExportObjectNames.EnsureValid(requestId);

        // Every page first, then the deletes: a marker never has to survive the blobs it points past.
        var names = new List<string>();
        string? marker = null;
        do
        {
            (var page, marker) = await Client.ListAsync(requestId + "/", marker, Connection.ListPageSize, cancellationToken);
            names.AddRange(page);
        }
        while (marker is not null);

        var deleted = 0;
        foreach (var name in names)
        {
            if (await Client.DeleteAsync(name, cancellationToken))
            {
                deleted++;
            }
        }

        return deleted;
    }

    private static string BlobName(string requestId, string name)
    {
        ExportObjectNames.EnsureValid(requestId, name);
        return requestId + "/" + name;
    }

    private sealed class Upload(BlobClient client, string blob, int blockSize) : IExportUpload
    {
        private readonly BlockStream _stream = new(client, blob, blockSize);

        public Stream Stream => _stream;

        public Task<long> CommitAsync(CancellationToken cancellationToken) => _stream.CommitAsync(cancellationToken);

        public ValueTask DisposeAsync() => _stream.DisposeAsync();
    }

    /// <summary>Buffers one block; each full block is staged (Put Block) before more is taken in.</summary>
    private sealed class BlockStream(BlobClient client, string blob, int blockSize) : Stream
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
                    // Synchronous writers get a synchronous Put Block (async: false completes the ValueTask at once).
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

            await client.PutBlockListAsync(blob, _blocks, cancellationToken);
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
                throw new BlobStorageException($"{blob} would need more than {AzureBlobConnection.MaxBlocks:N0} blocks; raise the block size.");
            }

            var id = Convert.ToBase64String(Encoding.ASCII.GetBytes(_upload + "-" + _blocks.Count.ToString("D6", CultureInfo.InvariantCulture)));
            await client.PutBlockAsync(blob, id, _buffer.AsMemory(0, _filled), async, cancellationToken);
            _blocks.Add(id);
            _filled = 0;
        }
    }
}
