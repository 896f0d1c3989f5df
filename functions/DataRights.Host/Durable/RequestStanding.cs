using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;

namespace DataRights.Host.Durable;

/// <summary>
/// Where a request stands after a step: its status (for the orchestration's custom status), its work still open (the
/// orchestration takes on what it does not have in hand: what the step committed, or what a crash kept from it), and
/// whether nothing is left to do.
/// </summary>
public sealed class RequestStanding(IRequestStore store, IWorkQueue queue)
{
    public async Task<WorkOutcome> AfterAsync(string requestId, WorkResult result, CancellationToken cancellationToken)
    {
        // Both reads at once: a step's end waits for one round trip, not two.
        var reading = store.GetAsync(requestId, cancellationToken);
        var listing = queue.OpenAsync(requestId, cancellationToken);
        await Task.WhenAll(reading, listing);
        if (await reading is not { } request)
        {
            return new WorkOutcome(result, null, Settled: true);
        }

        var open = await listing;
        return new WorkOutcome(
            result,
            Kebab.Of(request.Status),
            Settled: open.Count == 0 && RequestLifecycle.IsFinal(request.Status),
            [.. open.Select(item => new DeliveredWork(item.Id, item.Kind, item.NotBefore))]);
    }
}
