using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;

namespace DataRights.Host.Durable;

/// <summary>Where a request stands after a step: its status (for the orchestration's custom status) and whether nothing is left to do.</summary>
public sealed class RequestStanding(IRequestStore store, IWorkQueue queue)
{
    public async Task<WorkOutcome> AfterAsync(string requestId, WorkResult result, CancellationToken cancellationToken)
    {
        // Both reads at once: a step's end waits for one round trip, not two.
        var reading = store.GetAsync(requestId, cancellationToken);
        var counting = queue.CountsAsync(requestId, cancellationToken);
        await Task.WhenAll(reading, counting);
        if (await reading is not { } request)
        {
            return new WorkOutcome(result, null, Settled: true);
        }

        var counts = await counting;
        var open = counts.Where(c => c.Key is not ("done" or "dead")).Sum(c => c.Value);
        return new WorkOutcome(result, Kebab.Of(request.Status), Settled: open == 0 && RequestLifecycle.IsFinal(request.Status));
    }
}
