using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace DataRights.Storage.AzureTables.Blobs;

/// <summary>
/// The few Blob REST calls the export store needs (Create Container, Put Block, Put Block List, Get Blob
/// streamed, Get Blob Properties, Delete Blob, List Blobs with a marker), sent through an Azure.Core
/// pipeline (retries, authentication). Expected refusals (404, an existing container) come back as
/// results; anything else throws <see cref="BlobStorageException"/>.
/// </summary>
internal sealed class BlobClient
{
    private readonly HttpPipeline _pipeline;
    private readonly string _container;

    public BlobClient(HttpPipeline pipeline, Uri endpoint, string container)
    {
        _pipeline = pipeline;
        _container = endpoint.AbsoluteUri.TrimEnd('/') + "/" + container;
        Container = container;
    }

    public string Container { get; }

    /// <summary>Creates the container (private: no anonymous access); one that exists already is fine.</summary>
    public async Task CreateContainerIfNotExistsAsync(CancellationToken cancellationToken)
    {
        using var message = CreateMessage(RequestMethod.Put, _container + "?restype=container");
        var operation = "create container " + Container;
        await SendAsync(message, operation, async: true, cancellationToken);
        if (message.Response.Status == 409 && ErrorCode(message) == "ContainerAlreadyExists")
        {
            return;
        }

        EnsureSuccess(message, operation);
    }

    /// <summary>Stages one block of a blob (invisible until a block list commits it).</summary>
    public async ValueTask PutBlockAsync(string blob, string blockId, ReadOnlyMemory<byte> data, bool async, CancellationToken cancellationToken)
    {
        using var message = CreateMessage(RequestMethod.Put, $"{BlobUrl(blob)}?comp=block&blockid={Uri.EscapeDataString(blockId)}");
        message.Request.Content = RequestContent.Create(data);
        var operation = "stage a block of " + blob;
        await SendAsync(message, operation, async, cancellationToken);
        EnsureSuccess(message, operation);
    }

    /// <summary>Commits the staged blocks, in order, as the blob's content: the blob appears (or is replaced) whole, at once.</summary>
    public async Task PutBlockListAsync(string blob, IReadOnlyList<string> blockIds, CancellationToken cancellationToken)
    {
        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>");
        foreach (var id in blockIds)
        {
            xml.Append("<Latest>").Append(id).Append("</Latest>");
        }

        xml.Append("</BlockList>");
        using var message = CreateMessage(RequestMethod.Put, BlobUrl(blob) + "?comp=blocklist");
        message.Request.Headers.SetValue("Content-Type", "application/xml; charset=utf-8");
        message.Request.Headers.SetValue("x-ms-blob-content-type", "application/octet-stream");
        message.Request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(xml.ToString()));
        var operation = "commit " + blob;
        await SendAsync(message, operation, async: true, cancellationToken);
        EnsureSuccess(message, operation);
    }

    /// <summary>The blob's content as a stream read from the network as it goes; null when there is no such blob.</summary>
    public async Task<Stream?> GetAsync(string blob, CancellationToken cancellationToken)
    {
        var message = CreateMessage(RequestMethod.Get, BlobUrl(blob));
        message.BufferResponse = false;
        try
        {
            var operation = "read " + blob;
            await SendAsync(message, operation, async: true, cancellationToken);
            if (message.Response.Status == 404)
            {
                message.Dispose();
                return null;
            }

            EnsureSuccess(message, operation);
            var stream = message.ExtractResponseContent() ?? throw new BlobStorageException($"Blob storage answered a read of {blob} without content.");
            return new ResponseStream(stream, message);
        }
        catch
        {
            message.Dispose();
            throw;
        }
    }

    /// <summary>Whether the blob exists (committed; staged blocks alone do not count).</summary>
    public async Task<bool> ExistsAsync(string blob, CancellationToken cancellationToken)
    {
        using var message = CreateMessage(RequestMethod.Head, BlobUrl(blob));
        var operation = "look up " + blob;
        await SendAsync(message, operation, async: true, cancellationToken);
        if (message.Response.Status == 404)
        {
            return false;
        }

        EnsureSuccess(message, operation);
        return true;
    }

    /// <summary>Deletes the blob; false when it was not there.</summary>
    public async Task<bool> DeleteAsync(string blob, CancellationToken cancellationToken)
    {
        using var message = CreateMessage(RequestMethod.Delete, BlobUrl(blob));
        var operation = "delete " + blob;
        await SendAsync(message, operation, async: true, cancellationToken);
        if (message.Response.Status == 404)
        {
            return false;
        }

        EnsureSuccess(message, operation);
        return true;
    }

    /// <summary>One page of the names of the blobs starting with <paramref name="prefix"/>, and the marker of the next page (null on the last).</summary>
    public async Task<(List<string> Names, string? NextMarker)> ListAsync(string prefix, string? marker, int pageSize, CancellationToken cancellationToken)
    {
        var url = new StringBuilder(_container)
            .Append("?restype=container&comp=list&prefix=").Append(Uri.EscapeDataString(prefix))
            .Append("&maxresults=").Append(pageSize.ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(marker))
        {
            url.Append("&marker=").Append(Uri.EscapeDataString(marker));
        }

        using var message = CreateMessage(RequestMethod.Get, url.ToString());
        var operation = "list the blobs of " + Container;
        await SendAsync(message, operation, async: true, cancellationToken);
        EnsureSuccess(message, operation);
        var root = XDocument.Load(message.Response.Content.ToStream()).Root
            ?? throw new BlobStorageException($"Blob storage answered a listing of {Container} without a body.");
        var names = root.Element("Blobs")?.Elements("Blob").Select(b => b.Element("Name")?.Value).OfType<string>().ToList() ?? [];
        var next = root.Element("NextMarker")?.Value;
        return (names, string.IsNullOrEmpty(next) ? null : next);
    }

    private string BlobUrl(string blob) => _container + "/" + blob;

    private HttpMessage CreateMessage(RequestMethod method, string url)
    {
        var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(new Uri(url));
        return message;
    }

    private async ValueTask SendAsync(HttpMessage message, string operation, bool async, CancellationToken cancellationToken)
    {
        try
        {
            if (async)
            {
                await _pipeline.SendAsync(message, cancellationToken);
            }
            else
            {
                _pipeline.Send(message, cancellationToken);
            }
        }
        catch (RequestFailedException ex)
        {
            // The pipeline gave up (network failures through every retry).
            throw new BlobStorageException($"Blob storage could not be reached to {operation}: {ex.Message}", ex);
        }
    }

    private static void EnsureSuccess(HttpMessage message, string operation)
    {
        var status = message.Response.Status;
        if (status is >= 200 and < 300)
        {
            return;
        }

        throw new BlobStorageException(operation, status, ErrorCode(message), message.BufferResponse ? ServiceMessage(message.Response) : null);
    }

    private static string? ErrorCode(HttpMessage message) =>
        message.Response.Headers.TryGetValue("x-ms-error-code", out var code) ? code : null;

    private static string? ServiceMessage(Response response)
    {
        if (response.Content is null || response.Content.ToMemory().Length == 0)
        {
            return null;
        }

        try
        {
            return XDocument.Parse(response.Content.ToString()).Root?.Element("Message")?.Value.Split('\n')[0].Trim();
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    /// <summary>A download's content stream that also releases its HTTP response when disposed.</summary>
    private sealed class ResponseStream(Stream inner, HttpMessage message) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                message.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
