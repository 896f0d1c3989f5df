using Azure.Core;
using Azure.Core.Pipeline;

namespace DataRights.Storage.AzureTables.Entities;

/// <summary>Counts the calls an SDK client makes (a retried call counts once), for benchmarks: add it per call.</summary>
internal sealed class RoundTripCounter : HttpPipelineSynchronousPolicy
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
}
