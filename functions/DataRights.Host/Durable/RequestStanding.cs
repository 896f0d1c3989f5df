using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;

namespace DataRights.Host.Durable;

/// <summary>
/// Where a request stands after a step: its status (for the orchestration's custom status), its work still open (the
/// orchestration takes on what it does not have in hand: what the step committed, or what a crash kept from it), and
/// whether nothing is left to do.
/// </summary>
public sealed class RequestStanding(IRequestStore store, TimeProvider time)
{
    public async Task<WorkOutcome> AfterAsync(string requestId, WorkResult result, CancellationToken cancellationToken)
    {
        // The request and its open work in one read of its partition.
        if (await store.GetWithOpenWorkAsync(requestId, cancellationToken) is not { } standing)
        {
            return new WorkOutcome(result, null, Settled: true, At: time.GetUtcNow());
        }

        return new WorkOutcome(
            result,
            Kebab.Of(standing.Request.Status),
            Settled: standing.OpenWork.Count == 0 && RequestLifecycle.IsFinal(standing.Request.Status),
            [.. standing.OpenWork.Select(item => new DeliveredWork(item.Id, item.Kind, item.NotBefore))],
            At: time.GetUtcNow());
    }
}
