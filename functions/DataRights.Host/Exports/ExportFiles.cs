using DataRights.Core.Ports;
using DataRights.Core.Sources;
using DataRights.Host.Hosting;
using DataRights.Host.Links;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Exports;

/// <summary>
/// Where exports live and the key that seals them. The objects go to the <see cref="IExportStore"/>
/// (the data folder's <c>exports/</c> stand-alone, Azure Blob storage with the <c>azure-tables</c>
/// provider), as <c>&lt;requestId&gt;/&lt;source&gt;.part</c> and <c>&lt;requestId&gt;/package.zip.sealed</c>,
/// always sealed here first, so the store only ever holds ciphertext. The key is
/// <c>DataRights:ExportKey</c> as a secret reference (<c>env:NAME</c>, 32 bytes in base64), or on a
/// stand-alone run a key file made once in the data folder.
/// </summary>
public sealed class ExportFiles
{
    /// <summary>The assembled package's object name.</summary>
    public const string PackageName = "package.zip.sealed";

    private readonly Lazy<byte[]> _key;

    public ExportFiles(IOptions<DataRightsOptions> options, IExportStore store)
    {
        var o = options.Value;
        Store = store;
        _key = new Lazy<byte[]>(() => KeyFiles.FromReferenceOrFile(
            o.ExportKey, o.DataDirectory, "export.key", length => length == 32, "DataRights:ExportKey must be 32 bytes (256 bits), base64-encoded."));
    }

    public IExportStore Store { get; }

    public byte[] Key => _key.Value;

    /// <summary>The object name of the copy one source made for a request.</summary>
    public static string PartName(string sourceKey) => sourceKey + ".part";

    public static string PartLabel(string requestId, string sourceKey) => $"export-part:{requestId}:{sourceKey}";

    public static string PackageLabel(string requestId) => "export-package:" + requestId;

    /// <summary>Starts writing a source's sealed copy (replacing an earlier attempt's once committed).</summary>
    public Task<SealedExportWriter> CreatePartAsync(string requestId, string sourceKey, CancellationToken cancellationToken) =>
        CreateAsync(requestId, PartName(sourceKey), PartLabel(requestId, sourceKey), cancellationToken);

    /// <summary>Starts writing the sealed package.</summary>
    /// <summary>
    /// Streams one source's copy into its sealed part through <paramref name="write"/>, and makes the part
    /// visible only if the copy is complete: a deferred answer (<see cref="ExecutionOutcome.Later"/>) or a
    /// failure leaves any earlier part as it was.
    /// </summary>
    public async Task<ExecutionOutcome> WritePartAsync(string requestId, string sourceKey, Func<IExportSink, Task<ExecutionOutcome>> write, CancellationToken cancellationToken)
    {
        await using var part = await CreatePartAsync(requestId, sourceKey, cancellationToken);
        ExecutionOutcome outcome;
        await using (var sink = new ExportPartSink(part.Stream))
        {
            outcome = await write(sink);
        }

        if (!outcome.Deferred)
        {
            await part.CommitAsync(cancellationToken);
        }

        return outcome;
    }

    public Task<SealedExportWriter> CreatePackageAsync(string requestId, CancellationToken cancellationToken) =>
        CreateAsync(requestId, PackageName, PackageLabel(requestId), cancellationToken);

    /// <summary>A source's copy, opened as it is read; null when there is none.</summary>
    public Task<Stream?> OpenPartAsync(string requestId, string sourceKey, CancellationToken cancellationToken) =>
        OpenAsync(requestId, PartName(sourceKey), PartLabel(requestId, sourceKey), cancellationToken);

    /// <summary>The package (a ZIP), opened as it is read; null when there is none.</summary>
    public Task<Stream?> OpenPackageAsync(string requestId, CancellationToken cancellationToken) =>
        OpenAsync(requestId, PackageName, PackageLabel(requestId), cancellationToken);

    public Task<bool> PartExistsAsync(string requestId, string sourceKey, CancellationToken cancellationToken) =>
        Store.ExistsAsync(requestId, PartName(sourceKey), cancellationToken);

    public Task<bool> PackageExistsAsync(string requestId, CancellationToken cancellationToken) =>
        Store.ExistsAsync(requestId, PackageName, cancellationToken);

    public Task DeletePartAsync(string requestId, string sourceKey, CancellationToken cancellationToken) =>
        Store.DeleteAsync(requestId, PartName(sourceKey), cancellationToken);

    /// <summary>Deletes everything exported for a request (idempotent).</summary>
    public Task DeleteAsync(string requestId, CancellationToken cancellationToken) => Store.DeleteAllAsync(requestId, cancellationToken);

    private async Task<SealedExportWriter> CreateAsync(string requestId, string name, string label, CancellationToken cancellationToken)
    {
        var key = Key;
        return new SealedExportWriter(await Store.CreateAsync(requestId, name, cancellationToken), key, label);
    }

    private async Task<Stream?> OpenAsync(string requestId, string name, string label, CancellationToken cancellationToken)
    {
        var key = Key;
        return await Store.OpenReadAsync(requestId, name, cancellationToken) is { } stream ? SealedStreams.Open(stream, key, label) : null;
    }
}
