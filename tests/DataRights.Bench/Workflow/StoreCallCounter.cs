using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;

namespace DataRights.Bench.Workflow;

/// <summary>
/// Counts the calls the program's own storage clients make (Table and Blob, a retried call once); the task hub's
/// backend has clients of its own and is not counted. The bench's reads for its progress are left out with <see cref="Uncounted"/>.
/// While <see cref="Itemizing"/>, each call is also counted by what it is (method, table, row kind) and the program's
/// method that made it, for <see cref="Itemized"/>.
/// </summary>
internal sealed class StoreCallCounter : HttpPipelineSynchronousPolicy
{
    private static readonly AsyncLocal<bool> Skipping = new();
    private readonly ConcurrentDictionary<string, long> _byKind = new(StringComparer.Ordinal);
    private long _count;
    private int _itemizing;

    public long Count => Interlocked.Read(ref _count);

    /// <summary>Whether calls are counted by kind too (the timed windows of the product's lane).</summary>
    public bool Itemizing
    {
        get => Volatile.Read(ref _itemizing) == 1;
        set => Volatile.Write(ref _itemizing, value ? 1 : 0);
    }

    /// <summary>The calls counted by kind while <see cref="Itemizing"/>, most first.</summary>
    public IReadOnlyList<(string Kind, long Calls)> Itemized() =>
        [.. _byKind.Select(p => (p.Key, p.Value)).OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)];

    /// <summary>Runs <paramref name="read"/> without counting its calls (the bench watching the store, not the program working).</summary>
    public static async Task<T> Uncounted<T>(Func<Task<T>> read)
    {
        Skipping.Value = true;
        try
        {
            return await read();
        }
        finally
        {
            Skipping.Value = false;
        }
    }

    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Skipping.Value)
        {
            return;
        }

        Interlocked.Increment(ref _count);
        if (Itemizing)
        {
            _byKind.AddOrUpdate(KindOf(message.Request) + " by " + Caller(), 1, (_, n) => n + 1);
        }
    }

    // "GET Requests(work)", "POST $batch", "GET Requests query": the method, the table and the row key's kind.
    private static string KindOf(Request request)
    {
        var path = Uri.UnescapeDataString(request.Uri.Path);
        var last = path[(path.LastIndexOf('/') + 1)..];
        var paren = last.IndexOf('(', StringComparison.Ordinal);
        var table = paren < 0 ? last : last[..paren];
        var rowAt = last.IndexOf("RowKey='", StringComparison.Ordinal);
        var row = rowAt < 0 ? (paren >= 0 && last.EndsWith("()", StringComparison.Ordinal) ? " query" : string.Empty) : "(" + RowKind(last[(rowAt + 8)..]) + ")";
        return string.Create(CultureInfo.InvariantCulture, $"{request.Method} {table}{row}");
    }

    private static string RowKind(string rowKey)
    {
        var end = rowKey.IndexOfAny([':', '|', '\'', '-', '_']);
        return end < 0 ? rowKey : rowKey[..end];
    }

    // The program's first three methods on the stack below its storage gateway (as far as the stack goes since the last await).
    private static string Caller()
    {
        var names = new List<string>(2);
        foreach (var frame in new StackTrace(2, false).GetFrames())
        {
            var type = frame.GetMethod()?.DeclaringType;
            var name = type is null ? null : NameOf(type, frame.GetMethod()!.Name);
            if (name is null || !type!.FullName!.StartsWith("DataRights.", StringComparison.Ordinal) || type.FullName.StartsWith("DataRights.Bench", StringComparison.Ordinal)
                || type.FullName.Contains(".Entities.", StringComparison.Ordinal) || (names.Count > 0 && names[^1] == name))
            {
                continue;
            }

            names.Add(name);
            if (names.Count == 3)
            {
                break;
            }
        }

        return names.Count == 0 ? "?" : string.Join(" < ", names);
    }

    // A state machine's MoveNext is named for its method: "<GetAsync>d__14" nested in its class.
    private static string NameOf(Type type, string method)
    {
        if (type.Name.StartsWith('<') && type.DeclaringType is { } owner)
        {
            var close = type.Name.IndexOf('>', StringComparison.Ordinal);
            var outer = owner.Name.StartsWith('<') && owner.DeclaringType is { } o ? o.Name : owner.Name;
            return outer + "." + type.Name[1..close];
        }

        return type.Name + "." + method;
    }
}
