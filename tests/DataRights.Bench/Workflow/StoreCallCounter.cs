using Azure.Core;
using Azure.Core.Pipeline;

namespace DataRights.Bench.Workflow;

/// <summary>
/// Counts the calls the program's own storage clients make (Table and Blob, a retried call once); the task hub's
/// backend has clients of its own and is not counted. The bench's reads for its progress are left out with <see cref="Uncounted"/>.
/// </summary>
internal sealed class StoreCallCounter : HttpPipelineSynchronousPolicy
{
    private static readonly AsyncLocal<bool> Skipping = new();
    private long _count;

    public long Count => Interlocked.Read(ref _count);

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
        if (!Skipping.Value)
        {
            Interlocked.Increment(ref _count);
        }
    }
}
