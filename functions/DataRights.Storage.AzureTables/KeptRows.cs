using System.Collections.Concurrent;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// Rows this process last wrote or read, with their ETags, kept for a later conditional write without a read: the most
/// recent <c>capacity</c> kept, the oldest forgotten first. A kept row may be stale; a write on its ETag then fails and
/// the writer reads the row.
/// </summary>
internal sealed class KeptRows<TKey>(int capacity)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TableEntity> _rows = new();
    private readonly ConcurrentQueue<TKey> _order = new();

    /// <summary>Keeps <paramref name="row"/> as written or read (already a copy with its ETag) under <paramref name="key"/>.</summary>
    public void Keep(TKey key, TableEntity row)
    {
        _rows[key] = row;
        _order.Enqueue(key);
        while (_order.Count > capacity && _order.TryDequeue(out var oldest))
        {
            _rows.TryRemove(oldest, out _);
        }
    }

    public bool TryGet(TKey key, out TableEntity row) => _rows.TryGetValue(key, out row!);

    public bool TryTake(TKey key, out TableEntity row) => _rows.TryRemove(key, out row!);
}
