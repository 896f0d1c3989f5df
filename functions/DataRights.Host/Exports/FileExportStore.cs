using DataRights.Core.Ports;

namespace DataRights.Host.Exports;

/// <summary>
/// Exports in a local folder (the stand-alone default: <c>&lt;DataDirectory&gt;/exports</c>), a folder per
/// request, owner-only. An upload is written to a temporary file beside its target and moved over it
/// on commit, so a reader sees the old object or the whole new one, never part of one.
/// </summary>
public sealed class FileExportStore : IExportStore
{
    private const string WritingSuffix = ".writing";

    public FileExportStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>The folder holding a folder per request.</summary>
    public string Root { get; }

    public Task<IExportUpload> CreateAsync(string requestId, string name, CancellationToken cancellationToken)
    {
        var path = PathOf(requestId, name);
        CreateOwnerOnly(Root);
        CreateOwnerOnly(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}{WritingSuffix}";
        var stream = Hosting.OwnerOnlyFiles.Create(temporary, FileMode.CreateNew);
        return Task.FromResult<IExportUpload>(new Upload(stream, temporary, path));
    }

    public Task<Stream?> OpenReadAsync(string requestId, string name, CancellationToken cancellationToken)
    {
        var path = PathOf(requestId, name);
        try
        {
            return Task.FromResult<Stream?>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task<bool> ExistsAsync(string requestId, string name, CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(PathOf(requestId, name)));

    public Task DeleteAsync(string requestId, string name, CancellationToken cancellationToken)
    {
        var path = PathOf(requestId, name);
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        return Task.CompletedTask;
    }

    public Task<int> DeleteAllAsync(string requestId, CancellationToken cancellationToken)
    {
        ExportObjectNames.EnsureValid(requestId);
        var folder = Path.Combine(Root, requestId);
        if (!Directory.Exists(folder))
        {
            return Task.FromResult(0);
        }

        var count = Directory.EnumerateFiles(folder).Count(f => !f.EndsWith(WritingSuffix, StringComparison.Ordinal));
        Directory.Delete(folder, recursive: true);
        return Task.FromResult(count);
    }

    private string PathOf(string requestId, string name)
    {
        ExportObjectNames.EnsureValid(requestId, name);
        return Path.Combine(Root, requestId, name);
    }

    private static void CreateOwnerOnly(string folder) => Hosting.OwnerOnlyFiles.Folder(folder);

    private sealed class Upload(FileStream stream, string temporary, string path) : IExportUpload
    {
        private bool _done;

        public Stream Stream => stream;

        public async Task<long> CommitAsync(CancellationToken cancellationToken)
        {
            ObjectDisposedException.ThrowIf(_done, this);
            await stream.FlushAsync(cancellationToken);
            var length = stream.Length;
            await stream.DisposeAsync();
            File.Move(temporary, path, overwrite: true);
            _done = true;
            return length;
        }

        public async ValueTask DisposeAsync()
        {
            if (_done)
            {
                return;
            }

            // Not committed: the partial file goes, and whatever was under the name stays.
            _done = true;
            await stream.DisposeAsync();
            File.Delete(temporary);
        }
    }
}
