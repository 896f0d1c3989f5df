using System.Collections.Concurrent;
using DataRights.Core.Ports;

namespace DataRights.Testing;

/// <summary>The export store port in memory, with the same rules as the real ones (names checked, nothing visible before commit).</summary>
public sealed class InMemoryExportStore : IExportStore
{
    private readonly ConcurrentDictionary<string, byte[]> _objects = new(StringComparer.Ordinal);

    public int Count => _objects.Count;

    public Task<IExportUpload> CreateAsync(string requestId, string name, CancellationToken cancellationToken) =>
        Task.FromResult<IExportUpload>(new Upload(this, Key(requestId, name)));

    public Task<Stream?> OpenReadAsync(string requestId, string name, CancellationToken cancellationToken) =>
        Task.FromResult<Stream?>(_objects.TryGetValue(Key(requestId, name), out var bytes) ? new MemoryStream(bytes, writable: false) : null);

    public Task<bool> ExistsAsync(string requestId, string name, CancellationToken cancellationToken) =>
        Task.FromResult(_objects.ContainsKey(Key(requestId, name)));

    public Task DeleteAsync(string requestId, string name, CancellationToken cancellationToken)
    {
        _objects.TryRemove(Key(requestId, name), out _);
        return Task.CompletedTask;
    }

    public Task<int> DeleteAllAsync(string requestId, CancellationToken cancellationToken)
    {
        ExportObjectNames.EnsureValid(requestId);
        var deleted = _objects.Keys.Where(k => k.StartsWith(requestId + "/", StringComparison.Ordinal)).Count(k => _objects.TryRemove(k, out _));
        return Task.FromResult(deleted);
    }

    private static string Key(string requestId, string name)
    {
        ExportObjectNames.EnsureValid(requestId, name);
        return requestId + "/" + name;
    }

    private sealed class Upload(InMemoryExportStore store, string key) : IExportUpload
    {
        private readonly MemoryStream _buffer = new();

        public Stream Stream => _buffer;

        public Task<long> CommitAsync(CancellationToken cancellationToken)
        {
            var bytes = _buffer.ToArray();
            store._objects[key] = bytes;
            return Task.FromResult((long)bytes.Length);
        }

        public ValueTask DisposeAsync() => _buffer.DisposeAsync();
    }
}
